"""Signing in: failure limits per account and per address, one-time passwords, two-factor sign-in, sessions."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from pingyi.api import services as api_services
from pingyi.core.models import AuditEntry
from pingyi.org import services
from pingyi.org.models import OneTimePassword, Person

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()  # the lockout's audit entry is written once per window, remembered in the cache
    yield
    cache.clear()


def sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_right_password_signs_in(world):
    response = sign_in(Client(), "secretary", PASSWORD)
    assert response.status_code == 302 and response.url == "/"


def test_an_account_is_locked_after_five_wrong_passwords_even_with_the_right_one(world):
    client = Client()
    for _ in range(4):
        assert sign_in(client, "secretary", "wrong").status_code == 200
    assert sign_in(client, "secretary", "wrong").status_code == 429  # the fifth failure locks
    refused = sign_in(client, "secretary", PASSWORD)
    assert refused.status_code == 429
    assert "登录失败次数过多，已暂停登录15分钟" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_on_the_account_from_any_address(world):
    for i in range(5):
        sign_in(Client(), "secretary", "wrong", address=f"10.0.1.{i}")
    assert sign_in(Client(), "secretary", PASSWORD, address="10.9.9.9").status_code == 429
    assert sign_in(Client(), "committee", PASSWORD, address="10.9.9.9").status_code == 302


def test_names_differing_in_case_share_one_count(world):
    for name in ["Secretary", "SECRETARY", "secretary", "SeCrEtArY", "secretary "]:
        sign_in(Client(), name, "wrong")
    assert sign_in(Client(), "secretary", PASSWORD).status_code == 429


def test_an_address_is_locked_after_twenty_failures_across_accounts(world):
    for i in range(20):
        sign_in(Client(), f"nobody{i}", "wrong", address="10.0.0.7")
    assert sign_in(Client(), "committee", PASSWORD, address="10.0.0.7").status_code == 429
    assert sign_in(Client(), "committee", PASSWORD, address="10.0.0.8").status_code == 302


def test_a_lockout_is_audited_once_on_the_node_of_the_account(world):
    for _ in range(12):
        sign_in(Client(), "member", "wrong")
    entries = AuditEntry.objects.filter(action="auth.locked_out")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.org == world.orgs["branch"]
    assert entry.data == {"username": "member", "address": "10.0.0.1", "minutes": 15}


def test_the_lock_ends_after_the_cool_off(world):
    for _ in range(5):
        sign_in(Client(), "secretary", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(Client(), "secretary", PASSWORD).status_code == 302


def test_a_success_clears_the_count(world):
    for _ in range(4):
        sign_in(Client(), "secretary", "wrong")
    assert sign_in(Client(), "secretary", PASSWORD).status_code == 302
    for _ in range(4):
        sign_in(Client(), "secretary", "wrong")
    assert sign_in(Client(), "secretary", PASSWORD).status_code == 302


# One-time passwords


@pytest.fixture
def new_login(world):
    person = services.save_person(org=world.orgs["branch"], by=None, name="新党员")
    credentials = services.open_account(person=person, username="xindangyuan", by=world.users["secretary"])
    return person, credentials


def test_opening_a_login_issues_a_one_time_password_that_expires(world, new_login, settings):
    _person, credentials = new_login
    issued = OneTimePassword.objects.get(user__username="xindangyuan")
    assert issued.expires_at - issued.issued_at == timedelta(days=settings.ONE_TIME_PASSWORD_DAYS)
    assert credentials.expires_at == issued.expires_at


def test_first_sign_in_with_a_one_time_password_must_set_a_new_one_before_anything_else(world, new_login):
    _person, credentials = new_login
    client = Client()
    assert sign_in(client, credentials.username, credentials.password).status_code == 302
    for url in ["/", reverse("org:tree"), reverse("campaigns:list")]:
        held = client.get(url)
        assert held.status_code == 302 and held.url.startswith(reverse("accounts:password_change"))
    page = client.get(reverse("accounts:password_change"))
    assert "初始密码只能用一次" in page.content.decode()
    assert client.get("/api/me").status_code == 403

    same = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": credentials.password,
            "new_password1": credentials.password,
            "new_password2": credentials.password,
        },
    )
    assert "新密码不能与现在的密码相同" in same.content.decode()

    new = "a-password-of-my-own-2005"
    done = client.post(
        reverse("accounts:password_change"),
        {"old_password": credentials.password, "new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302 and done.url == "/"
    assert client.get("/").status_code == 200  # the session survives the change
    assert not OneTimePassword.objects.filter(user__username="xindangyuan").exists()
    assert AuditEntry.objects.filter(action="auth.password_changed", data={"one_time_replaced": True}).exists()
    assert sign_in(Client(), credentials.username, credentials.password).status_code == 200
    assert sign_in(Client(), credentials.username, new).status_code == 302


def test_an_api_token_of_a_login_holding_a_one_time_password_is_refused(world, new_login):
    _person, _credentials = new_login
    user = Person.objects.get(name="新党员").user
    _token, secret = api_services.create_api_token(user=user, name="测试", by=None)
    response = Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403 and "初始密码" in response.json()["detail"]


def test_an_unused_one_time_password_expires(world, new_login):
    _person, credentials = new_login
    OneTimePassword.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    refused = sign_in(Client(), credentials.username, credentials.password)
    assert refused.status_code == 200
    assert "初始密码已过期" in refused.content.decode()
    wrong = sign_in(Client(), credentials.username, "not-it")
    assert "初始密码已过期" not in wrong.content.decode()


def test_a_reset_issues_a_new_one_time_password(world, new_login):
    person, _credentials = new_login
    OneTimePassword.objects.all().delete()
    again = services.reset_password(person=person, by=world.users["secretary"])
    assert OneTimePassword.objects.filter(user__username="xindangyuan").exists()
    client = Client()
    sign_in(client, again.username, again.password)
    assert client.get("/").url.startswith(reverse("accounts:password_change"))


def test_an_ordinary_password_change_is_not_held(world):
    client = world.client("member")
    assert client.get("/").status_code == 200


# Two-factor sign-in


def _code(key: str) -> str:
    return f"{totp(bytes.fromhex(key)):06d}"


def test_two_factor_sign_in_is_opt_in_and_then_required(world):
    client = Client()
    sign_in(client, "secretary", PASSWORD)
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    key = client.session["_pingyi_otp_key"]
    wrong = client.post(reverse("accounts:otp_setup"), {"token": "000000" if _code(key) != "000000" else "111111"})
    assert "动态码不对" in wrong.content.decode() and not TOTPDevice.objects.exists()
    done = client.post(reverse("accounts:otp_setup"), {"token": _code(key)})
    assert done.status_code == 302 and TOTPDevice.objects.get(user=world.users["secretary"]).confirmed
    assert AuditEntry.objects.filter(action="auth.otp_enabled").count() == 1

    later = Client()
    sign_in(later, "secretary", PASSWORD)
    held = later.get("/campaigns/")
    assert held.status_code == 302 and held.url.startswith(reverse("accounts:otp_verify"))
    assert later.get("/api/me").status_code == 403
    refused = later.post(reverse("accounts:otp_verify"), {"token": "12345x"})
    assert "动态码不对" in refused.content.decode()
    device = TOTPDevice.objects.get(user=world.users["secretary"])
    device.last_t = -1  # the setup used this period's code; a code is accepted once
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    passed = later.post(reverse("accounts:otp_verify"), {"token": _code(key), "next": "/campaigns/"})
    assert passed.status_code == 302 and passed.url == "/campaigns/"
    assert later.get("/campaigns/").status_code == 200


def test_two_factor_sign_in_is_not_offered_to_members(world):
    assert world.client("member").get(reverse("accounts:otp_setup")).status_code == 403


def test_turning_two_factor_off_needs_a_verified_session(world):
    user = world.users["supervisor"]
    TOTPDevice.objects.create(user=user, name="x", confirmed=True)
    client = world.client("supervisor")  # signed in by password only
    assert client.post(reverse("accounts:otp_disable")).status_code in (302, 403)
    assert TOTPDevice.objects.filter(user=user).exists()


# Sessions and headers


def test_sessions_end_with_the_browser_and_after_idling(world, settings):
    client = Client()
    response = sign_in(client, "secretary", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_MINUTES * 60
    session = client.session
    session["_pingyi_seen"] = 0
    session.save()
    client.get("/")
    assert client.session["_pingyi_seen"] > 0  # the visit pushed the expiry forward


def test_responses_with_personal_data_are_not_stored(world):
    client = world.client("secretary")
    for url in ["/", reverse("org:person", args=[world.people["member"].pk]), "/api/me"]:
        assert client.get(url)["Cache-Control"] == "no-store", url
    export = client.get(reverse("org:roster_export", args=["BRANCH"]))
    assert "no-store" in export["Cache-Control"]


def test_pages_carry_a_content_security_policy_without_inline_script(world):
    policy = world.client("secretary").get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
