"""Logins for people: opened, reset and disabled by the secretary or office; the password shown once."""

import io
import json
import logging
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, World
from pingyi.core.models import AuditEntry
from pingyi.org import services
from pingyi.org.models import Person

pytestmark = pytest.mark.django_db


def _new_person(world: World, **fields: Any) -> Person:
    return services.save_person(org=world.orgs["branch"], by=None, name="李新", phone="13900139000", **fields)


def _url(name: str, person: Person) -> str:
    return reverse(f"org:{name}", kwargs={"person_id": person.pk})


def _shown(response: Any) -> tuple[str, str]:
    html = response.content.decode()
    username = html.split('data-testid="username">')[1].split("<")[0]
    password = html.split('data-testid="password">')[1].split("<")[0]
    return username, password


def _database_text() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def test_open_form_suggests_the_phone_number(world: World) -> None:
    person = _new_person(world)
    html = world.client("secretary").get(_url("account_open", person)).content.decode()
    assert 'value="13900139000"' in html


def test_opened_login_works_with_the_password_shown_once(world: World) -> None:
    person = _new_person(world)
    response = world.client("secretary").post(_url("account_open", person), {"username": "13900139000"})
    username, password = _shown(response)
    assert username == "13900139000"
    assert len(password) >= 10 and not set(password) & set("0O1lIo")
    assert "no-store" in response["Cache-Control"]
    person.refresh_from_db()
    assert person.user is not None and person.user.first_name == "李新"
    assert authenticate(username=username, password=password) == person.user
    entry = AuditEntry.objects.get(action="person.account")
    assert entry.data == {"username": "13900139000"}


def test_initial_password_is_stored_nowhere_in_clear(world: World, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    person = _new_person(world)
    client = world.client("secretary")
    _, opened = _shown(client.post(_url("account_open", person), {"username": "lixin"}))
    _, reset = _shown(client.post(_url("account_reset", person)))
    dump = _database_text()
    audit = json.dumps(list(AuditEntry.objects.values_list("data", flat=True)), ensure_ascii=False)
    for password in (opened, reset):
        assert password not in dump
        assert password not in audit
        assert password not in caplog.text


def test_person_page_offers_account_actions_to_managers_only(world: World) -> None:
    person = _new_person(world)
    url = _url("person", person)
    assert _url("account_open", person) in world.client("secretary").get(url).content.decode()
    assert _url("account_open", person) in world.client("office").get(url).content.decode()
    assert _url("account_open", person) not in world.client("committee").get(url).content.decode()
    member = world.people["member"]
    html = world.client("secretary").get(_url("person", member)).content.decode()
    assert _url("account_reset", member) in html and _url("account_disable", member) in html


def test_taken_username_is_a_form_error(world: World) -> None:
    person = _new_person(world)
    response = world.client("secretary").post(_url("account_open", person), {"username": "MEMBER"})
    assert "用户名“MEMBER”已被使用，请换一个" in response.content.decode()
    person.refresh_from_db()
    assert person.user is None


def test_invalid_username_is_a_form_error(world: World) -> None:
    person = _new_person(world)
    response = world.client("secretary").post(_url("account_open", person), {"username": "李 新"})
    assert "用户名只能包含字母、数字" in response.content.decode()


def test_a_second_open_does_not_replace_the_login(world: World) -> None:
    person = _new_person(world)
    client = world.client("secretary")
    client.post(_url("account_open", person), {"username": "lixin"})
    response = client.post(_url("account_open", person), {"username": "lixin2"}, follow=True)
    assert "李新 已有登录账号" in response.content.decode()
    assert not get_user_model().objects.filter(username="lixin2").exists()
    assert AuditEntry.objects.filter(action="person.account").count() == 1


def test_reset_replaces_the_old_password(world: World) -> None:
    member = world.people["member"]
    response = world.client("office").post(_url("account_reset", member))
    _, password = _shown(response)
    assert authenticate(username="member", password=PASSWORD) is None
    assert authenticate(username="member", password=password) == world.users["member"]
    entry = AuditEntry.objects.get(action="person.password_reset")
    assert entry.data == {"username": "member", "reactivated": False}


def test_reset_ends_the_old_sessions(world: World) -> None:
    member_client = world.client("member")
    assert member_client.get(reverse("portal:home")).status_code == 200
    world.client("secretary").post(_url("account_reset", world.people["member"]))
    assert member_client.get(reverse("portal:home"))["Location"].startswith(reverse("login"))


def test_disabled_login_cannot_log_in_and_reset_restores_it(world: World) -> None:
    member = world.people["member"]
    client = world.client("secretary")
    client.post(_url("account_disable", member))
    assert not Client().login(username="member", password=PASSWORD)
    client.post(_url("account_disable", member))
    assert AuditEntry.objects.filter(action="person.account_disable").count() == 1
    _, password = _shown(client.post(_url("account_reset", member)))
    assert Client().login(username="member", password=password)
    assert AuditEntry.objects.get(action="person.password_reset").data["reactivated"] is True


def test_disabled_user_is_logged_out_of_open_sessions(world: World) -> None:
    member_client = world.client("member")
    world.client("secretary").post(_url("account_disable", world.people["member"]))
    assert member_client.get(reverse("portal:home"))["Location"].startswith(reverse("login"))


def test_nobody_resets_their_own_login_here(world: World) -> None:
    own = _new_person(world)
    own.user = world.users["secretary"]
    own.save(update_fields=["user"])
    assert world.client("secretary").post(_url("account_reset", own)).status_code == 403
    assert world.client("secretary").post(_url("account_disable", own)).status_code == 403


def test_a_login_with_roles_beyond_ones_reach_is_403(world: World) -> None:
    # The office works at the bureau, above the branch: resetting its login would hand the secretary its role.
    office = _new_person(world)
    office.user = world.users["office"]
    office.save(update_fields=["user"])
    assert world.client("secretary").post(_url("account_reset", office)).status_code == 403
    assert world.client("secretary").post(_url("account_disable", office)).status_code == 403
    assert world.client("admin").post(_url("account_reset", office)).status_code == 200


def test_office_may_not_reset_a_secretary(world: World) -> None:
    secretary = _new_person(world)
    secretary.user = world.users["secretary"]
    secretary.save(update_fields=["user"])
    assert world.client("office").post(_url("account_reset", secretary)).status_code == 403


def test_secretary_may_reset_the_committee_member_of_their_branch(world: World) -> None:
    committee = _new_person(world)
    committee.user = world.users["committee"]
    committee.save(update_fields=["user"])
    assert world.client("secretary").post(_url("account_reset", committee)).status_code == 200


def test_outside_the_subtree_is_404(world: World) -> None:
    person = _new_person(world)
    for name in ("account_open", "account_reset", "account_disable"):
        assert world.client("outsider").post(_url(name, person)).status_code == 404


def test_read_only_role_is_403(world: World) -> None:
    person = _new_person(world)
    assert world.client("committee").post(_url("account_open", person), {"username": "x"}).status_code == 403
    assert world.client("committee").post(_url("account_reset", world.people["member"])).status_code == 403


def test_changes_are_post_only(world: World) -> None:
    member = world.people["member"]
    assert world.client("secretary").get(_url("account_reset", member)).status_code == 405
    assert world.client("secretary").get(_url("account_disable", member)).status_code == 405


def test_reset_without_a_login_says_so(world: World) -> None:
    person = _new_person(world)
    response = world.client("secretary").post(_url("account_reset", person), follow=True)
    assert "李新 还没有登录账号" in response.content.decode()


def test_user_changes_their_own_password(world: World) -> None:
    client = world.client("member")
    url = reverse("accounts:password_change")
    assert 'data-testid="password-change-form"' in client.get(url).content.decode()
    new = "Dongl0ng-village-2005"
    response = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("accounts:password_change_done")
    assert Client().login(username="member", password=new)
