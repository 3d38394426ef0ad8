import pytest

from pingyi.core.hooks import DEMO
from pingyi.outreach.models import Contact, GoodDeed, LiaisonPoint, StudyPlan
from pingyi.portal.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_demo_outreach_is_marked_and_seeded_once() -> None:
    seed_demo(only={"outreach"})
    deeds = list(GoodDeed.objects.all())
    assert len(deeds) == 12 and all(d.is_demo and DEMO in d.what for d in deeds)
    assert StudyPlan.objects.get().is_demo and all(p.is_demo for p in LiaisonPoint.objects.all())
    contacted = set(Contact.objects.values_list("person__status", flat=True))
    assert contacted == {"retired", "away"}
    seed_demo(only={"outreach"})
    assert GoodDeed.objects.count() == 12
