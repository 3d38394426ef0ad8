"""Self check-in by the room's rotating code: off by default, only oneself, only one's own branch, never stale."""

import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import World, add_member
from pingyi.study import checkin, services
from pingyi.study.models import Attendance

from .conftest import schedule

pytestmark = pytest.mark.django_db


def _turn_on(world: World) -> None:
    services.save_settings(org=world.orgs["branch"], self_checkin=True, photos=False, hours_required=32, by=None)


def test_check_in_is_refused_while_the_branch_has_it_off(world: World) -> None:
    activity = schedule(world, start=timezone.now())
    with pytest.raises(ValidationError, match="没有开启扫码签到"):
        services.check_in(activity=activity, person=world.people["member"], by=None)


def test_a_member_checks_in_once_and_late_after_ten_minutes(world: World) -> None:
    _turn_on(world)
    late = add_member(world, "迟到者")
    activity = schedule(world, start=timezone.now() - timedelta(minutes=20))
    first = services.check_in(activity=activity, person=world.people["member"], by=None, now=activity.starts_at)
    again = services.check_in(activity=activity, person=world.people["member"], by=None)
    assert (first.changed, first.attendance.status, again.changed) == (True, "present", False)
    assert services.check_in(activity=activity, person=late, by=None).attendance.status == "late"
    assert Attendance.objects.filter(activity=activity).count() == 2


def test_a_member_of_another_branch_is_refused(world: World) -> None:
    _turn_on(world)
    stranger = add_member(world, "外支部", org="other_branch")
    with pytest.raises(ValidationError, match="不是局机关党支部的党员"):
        services.check_in(activity=schedule(world, start=timezone.now()), person=stranger, by=None)


def test_a_code_older_than_the_window_is_refused(monkeypatch: Any) -> None:
    code = checkin.code_for(7)
    assert checkin.activity_of_code(code) == 7
    later = time.time() + checkin.WINDOW + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    with pytest.raises(ValidationError, match="二维码已过期"):
        checkin.activity_of_code(code)


def test_a_forged_code_and_another_logins_pass_are_refused() -> None:
    with pytest.raises(ValidationError, match="二维码无效"):
        checkin.activity_of_code("7:forged:signature")
    with pytest.raises(ValidationError, match="只能为自己签到"):
        checkin.activity_of_pass(checkin.pass_for(7, user_id=1), user_id=2)


def test_the_check_in_page_signs_in_only_the_login_that_scanned(world: World) -> None:
    _turn_on(world)
    other = add_member(world, "李同志", login="li")
    activity = schedule(world, start=timezone.now())
    member, li = world.client("member"), world.client("li")
    page = member.get("/study/checkin/", {"code": checkin.code_for(activity.pk)})
    assert "我已到场，签到" in page.content.decode()

    stolen = li.post("/study/checkin/", {"pass": page.context["pass"]})  # the member's pass, sent on
    assert "只能为自己签到" in stolen.content.decode()
    done = member.post("/study/checkin/", {"pass": page.context["pass"]})
    assert "已签到" in done.content.decode()
    assert list(Attendance.objects.values_list("person", flat=True)) == [world.people["member"].pk]
    assert other.pk not in Attendance.objects.values_list("person", flat=True)


def test_a_stale_code_shows_the_clear_message(world: World, monkeypatch: Any) -> None:
    _turn_on(world)
    activity = schedule(world, start=timezone.now())
    code = checkin.code_for(activity.pk)
    later = time.time() + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    page = world.client("member").get("/study/checkin/", {"code": code})
    assert "二维码已过期：请重新扫描会场屏幕上正在显示的二维码。" in page.content.decode()
    assert not Attendance.objects.exists()


def test_a_member_of_another_branch_scanning_the_code_is_refused_on_the_page(world: World) -> None:
    _turn_on(world)
    add_member(world, "外支部", org="other_branch", login="stranger")
    activity = schedule(world, start=timezone.now())
    page = world.client("stranger").get("/study/checkin/", {"code": checkin.code_for(activity.pk)})
    assert "您不是局机关党支部的党员，不能签到这次活动。" in page.content.decode()
    assert "checkin-button" not in page.content.decode() and not Attendance.objects.exists()


def test_the_check_in_button_through_htmx_gets_the_result_alone_after_four_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    """A room's members post at once (bench/checkin.py): the session, the login, one read of the activity and
    the member, the insert; the answer is the result, not the whole layout."""
    _turn_on(world)
    activity = schedule(world, start=timezone.now(), title="学习党章")
    member = world.client("member")
    page = member.get("/study/checkin/", {"code": checkin.code_for(activity.pk)})
    with django_assert_num_queries(4):
        done = member.post("/study/checkin/", {"pass": page.context["pass"]}, headers={"HX-Request": "true"})
    text = done.content.decode()
    assert "已签到：学习党章（出席）" in text and "<nav" not in text
    again = member.post("/study/checkin/", {"pass": page.context["pass"]}, headers={"HX-Request": "true"})
    assert "您已经签到过了" in again.content.decode()
    assert Attendance.objects.get(activity=activity).person == world.people["member"]
