import pytest

from pingyi.core.hooks import DEMO
from pingyi.portal.seed import seed_demo
from pingyi.talks.models import Talk
from pingyi.talks.selectors import coverage_for

pytestmark = pytest.mark.django_db


def test_demo_talks_are_marked_cover_part_of_the_branch_and_are_seeded_once() -> None:
    seed_demo(only={"talks"})
    talks = list(Talk.objects.all())
    assert talks and all(t.is_demo and DEMO in t.topic for t in talks)
    cov = coverage_for(talks[0].campaign)
    assert 0 < cov.done_count < cov.required_count
    seed_demo(only={"talks"})
    assert Talk.objects.count() == len(talks)
