import pytest

from pingyi.core.hooks import DEMO
from pingyi.meetings.models import LifeMeeting
from pingyi.portal.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_one_planned_demo_meeting_with_the_roster_and_the_supervision_group() -> None:
    seed_demo(only={"meetings"})
    meeting = LifeMeeting.objects.get()
    assert meeting.is_demo and DEMO in meeting.theme and meeting.status == LifeMeeting.Status.PLANNED
    assert meeting.attendees.count() == 29 and meeting.chair.name == "林志明"
    assert [p.name for p in meeting.supervisors.all()] == ["区委督导组 方组长"]
    seed_demo(only={"meetings"})
    assert LifeMeeting.objects.count() == 1
