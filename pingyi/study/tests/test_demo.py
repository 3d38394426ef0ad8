import pytest

from pingyi.core.hooks import DEMO
from pingyi.portal.seed import seed_demo
from pingyi.study.models import Activity
from pingyi.study.selectors import stage_statistics

pytestmark = pytest.mark.django_db


def test_demo_stage_one_has_twelve_sessions_with_registers_a_lecture_and_make_ups_and_is_seeded_once() -> None:
    seed_demo(only={"study"})
    activities = list(Activity.objects.select_related("stage__campaign"))
    assert len(activities) == 12 and all(a.is_demo and DEMO in a.title for a in activities)
    stage = activities[0].stage
    assert stage is not None
    stats = stage_statistics(stage.campaign, stage)
    assert stats.sessions == 12 and stats.person_times > 12 * 20
    assert [a.lecturer.name for a in stats.lectures if a.lecturer] == ["林志明"]
    assert 0 < stats.not_made_up < len(stats.absentees) and stats.made_up
    seed_demo(only={"study"})
    assert Activity.objects.count() == 12
