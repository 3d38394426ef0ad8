"""Reminders the day before: to the required people with a login, one a person a day, never twice."""

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import World, add_member
from pingyi.core.models import Notification
from pingyi.study.reminders import send_reminders

from .conftest import schedule

pytestmark = pytest.mark.django_db


def _tomorrow_at(hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_the_required_people_with_a_login_get_one_reminder_a_day(world: World) -> None:
    add_member(world, "李同志", login="li")
    add_member(world, "没账号")
    schedule(world, title="学习党章", start=_tomorrow_at(9), place="三楼")
    schedule(world, title="专题讨论", start=_tomorrow_at(14))
    schedule(world, title="小组学习", start=_tomorrow_at(16), audience="group", group=world.orgs["group"])
    schedule(world, title="后天的学习", start=_tomorrow_at(9) + timedelta(days=1))

    sent = send_reminders()
    again = send_reminders()

    assert (sent.activities, sent.queued, again.queued) == (3, 2, 0)
    notices = {n.recipient.username: n for n in Notification.objects.select_related("recipient")}
    assert set(notices) == {"member", "li"}
    assert notices["member"].title == "明天有 3 项学习活动" and "小组学习" in notices["member"].body
    assert notices["li"].title == "明天有 2 项学习活动" and "小组学习" not in notices["li"].body


def test_the_command_reports_what_it_queued(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    schedule(world, title="学习党章", start=_tomorrow_at(9))
    call_command("study_reminders")
    assert "activities=1 queued=1" in capsys.readouterr().out
    assert Notification.objects.get().url.startswith("/study/")
