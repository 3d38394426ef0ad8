"""Self check-in by the room's rotating code: off by default, only oneself, only one's own branch, never stale."""

import time
from datetime import timedelta
from typing import Any

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import PASSWORD, World, add_member
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


def test_a_forged_code_and_a_forged_pass_are_refused() -> None:
    with pytest.raises(ValidationError, match="二维码无效"):
        checkin.activity_of_code("7:forged:signature")
    with pytest.raises(ValidationError, match="二维码无效"):
        checkin.open_pass("7:1:bond:forged")
    with pytest.raises(ValidationError, match="二维码无效"):  # signed, but not a pass (another salt)
        checkin.open_pass(signing.dumps([7, 0, 0, 1, 1, "0001.", 1, 1, 1, "0001.", "x"]))


def _pass_of(client: Any, activity: Any) -> str:
    page = client.get("/study/checkin/", {"code": checkin.code_for(activity.pk)})
    assert "我已到场，签到" in page.content.decode()
    return page.context["pass"]


def _tap(client: Any, token: str) -> str:
    return client.post("/study/checkin/tap/", {"pass": token}, headers={"HX-Request": "true"}).content.decode()


def test_the_check_in_page_signs_in_only_the_login_that_scanned(world: World) -> None:
    _turn_on(world)
    other = add_member(world, "李同志", login="li")
    activity = schedule(world, start=timezone.now())
    member, li = world.client("member"), world.client("li")
    token = _pass_of(member, activity)

    assert "只能为自己签到" in _tap(li, token)  # the member's pass, sent on to a friend
    assert "只能为自己签到" in _tap(world.client("anonymous"), token)
    assert not Attendance.objects.exists()
    assert "已签到" in _tap(member, token)
    assert list(Attendance.objects.values_list("person", flat=True)) == [world.people["member"].pk]
    assert other.pk not in Attendance.objects.values_list("person", flat=True)


def test_a_pass_is_refused_after_signing_out_a_password_change_or_deactivation(world: World) -> None:
    _turn_on(world)
    activity = schedule(world, start=timezone.now())
    member = world.client("member")
    token = _pass_of(member, activity)
    member.logout()
    assert "只能为自己签到" in _tap(member, token)

    member = world.client("member")
    token = _pass_of(member, activity)
    login = world.users["member"]
    login.set_password("a-new-password-2005")
    login.save()
    assert "只能为自己签到" in _tap(member, token)  # a new password ends every session, and so its passes

    member = world.client("member")
    token = _pass_of(member, activity)
    type(login).objects.filter(pk=login.pk).update(is_active=False)
    assert "您的账号已停用" in _tap(member, token)
    assert not Attendance.objects.exists()


def test_a_pass_older_than_its_window_is_refused(world: World, monkeypatch: Any) -> None:
    _turn_on(world)
    activity = schedule(world, start=timezone.now())
    member = world.client("member")
    token = _pass_of(member, activity)
    later = time.time() + checkin.PASS_WINDOW + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert "签到页面已过期：请重新扫描会场屏幕上的二维码。" in _tap(member, token)
    assert not Attendance.objects.exists()


def test_a_login_held_at_the_gate_gets_no_pass(world: World) -> None:
    from pingyi.org.models import OneTimePassword

    _turn_on(world)
    activity = schedule(world, start=timezone.now())
    OneTimePassword.objects.create(
        user=world.users["member"], issued_at=timezone.now(), expires_at=timezone.now() + timedelta(days=1)
    )
    held = world.client("member").get("/study/checkin/", {"code": checkin.code_for(activity.pk)})
    assert held.status_code == 302 and "password" in held.url


def test_a_stale_code_shows_the_clear_message(world: World, monkeypatch: Any) -> None:
    _turn_on(world)
    activity = schedule(world, start=timezone.now())
    member = world.client("member")
    code = checkin.code_for(activity.pk)
    later = time.time() + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    page = member.get("/study/checkin/", {"code": code})
    assert "二维码已过期：请重新扫描会场屏幕上正在显示的二维码。" in page.content.decode()
    assert not Attendance.objects.exists()


def test_a_member_of_another_branch_scanning_the_code_is_refused_on_the_page(world: World) -> None:
    _turn_on(world)
    add_member(world, "外支部", org="other_branch", login="stranger")
    activity = schedule(world, start=timezone.now())
    page = world.client("stranger").get("/study/checkin/", {"code": checkin.code_for(activity.pk)})
    assert "您不是局机关党支部的党员，不能签到这次活动。" in page.content.decode()
    assert "checkin-button" not in page.content.decode() and not Attendance.objects.exists()


def test_the_check_in_button_through_htmx_gets_the_result_alone_after_two_statements(
    world: World, django_assert_num_queries: Any
) -> None:
    """A room's members post at once (bench/checkin.py): the pass says who taps and carries what the scan
    checked, so neither the session nor the activity is loaded (each would be a query here); one read of the
    login, the insert; the answer is the result, not the whole layout, and sets no cookie."""
    _turn_on(world)
    activity = schedule(world, start=timezone.now(), title="学习党章")
    member = world.client("member")
    token = _pass_of(member, activity)
    with django_assert_num_queries(2):
        done = member.post("/study/checkin/tap/", {"pass": token}, headers={"HX-Request": "true"})
    text = done.content.decode()
    assert "已签到（出席）" in text and "<nav" not in text
    assert not done.cookies
    assert "您已经签到过了" in _tap(member, token)
    assert Attendance.objects.get(activity=activity).person == world.people["member"]


def test_without_htmx_the_tap_answers_with_the_whole_page(world: World) -> None:
    _turn_on(world)
    activity = schedule(world, start=timezone.now(), title="学习党章")
    member = world.client("member")
    page = member.post("/study/checkin/tap/", {"pass": _pass_of(member, activity)}).content.decode()
    assert "已签到（出席）" in page and "学习党章" in page and "<nav" in page


@pytest.mark.django_db(transaction=True)
def test_a_tap_after_the_activity_went_is_refused_with_a_clear_message(world: World) -> None:
    """The pass carries the scan's facts, so the tap does not read the activity: one removed in the minute
    between scan and tap is caught by the insert (its foreign key) and the member is told what to do."""
    _turn_on(world)
    activity = schedule(world, start=timezone.now())
    member = world.client("member")
    token = _pass_of(member, activity)
    activity.delete()
    assert "这次活动或您的党员信息刚刚有变动：请重新扫描会场屏幕上的二维码。" in _tap(member, token)
    assert not Attendance.objects.exists()


def test_a_code_opened_by_a_phone_that_had_to_sign_in_first_stays_good_for_the_sign_in(
    world: World, monkeypatch: Any
) -> None:
    """Signing in takes longer than a code lives: a code this browser opened while it was good still opens the
    page after signing in, for SIGN_IN_GRACE seconds; a photo of it opened late is refused as before."""
    from django.test import Client

    _turn_on(world)
    activity = schedule(world, start=timezone.now())
    code, shown = checkin.code_for(activity.pk), time.time()
    phone = Client()
    sent = phone.get("/study/checkin/", {"code": code})
    assert sent.status_code == 302 and "code%3D" in sent.url  # to the sign-in page, the code kept in `next`
    monkeypatch.setattr("django.core.signing.time.time", lambda: shown + 75)  # the password took a while
    assert phone.login(username="member", password=PASSWORD)
    assert "我已到场，签到" in phone.get("/study/checkin/", {"code": code}).content.decode()

    friend = Client()  # the photo of the same code, opened 75 s after it was shown
    assert friend.get("/study/checkin/", {"code": code}).status_code == 302
    assert friend.login(username="member", password=PASSWORD)
    assert "二维码已过期" in friend.get("/study/checkin/", {"code": code}).content.decode()

    monkeypatch.setattr("django.core.signing.time.time", lambda: shown + checkin.SIGN_IN_GRACE + 5)
    assert "二维码已过期" in phone.get("/study/checkin/", {"code": code}).content.decode()
