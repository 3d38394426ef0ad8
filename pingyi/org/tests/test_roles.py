"""Roles on the node page: listed for every reader, granted and revoked by the secretary."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from conftest import World
from pingyi.core.models import AuditEntry
from pingyi.org import services
from pingyi.org.models import Person, Role, RoleGrant

pytestmark = pytest.mark.django_db

NODE = reverse("org:node", kwargs={"org_code": "BRANCH"})
GRANT = reverse("org:role_grant", kwargs={"org_code": "BRANCH"})


def _revoke_url(grant: RoleGrant, org_code: str = "BRANCH") -> str:
    return reverse("org:role_revoke", kwargs={"org_code": org_code, "grant_id": grant.pk})


def _grant_of(world: World, persona: str) -> RoleGrant:
    return RoleGrant.objects.get(user=world.users[persona])


def _person_with_login(world: World, name: str, org_key: str = "group") -> Person:
    person = services.save_person(org=world.orgs[org_key], by=None, name=name)
    services.create_account(person=person, username=name, password="x" * 12, by=None)
    return person


def test_node_page_lists_the_grants_of_the_subtree(world: World) -> None:
    colleague = _person_with_login(world, "赵委员")
    services.grant_role(user=colleague.user, org=world.orgs["group"], role=Role.COMMITTEE, by=None)
    html = world.client("supervisor").get(NODE).content.decode()
    roles = html.split('data-testid="roles"')[1].split("</section>")[0]
    assert "secretary" in roles and "支部书记" in roles
    assert "赵委员" in roles and "第一党小组" in roles
    assert "区劳动和社会保障局党组" not in roles  # the office's grant sits above the branch
    assert "撤销" not in roles and GRANT not in roles


def test_secretary_sees_grant_and_revoke_buttons(world: World) -> None:
    html = world.client("secretary").get(NODE).content.decode()
    assert GRANT in html
    assert _revoke_url(_grant_of(world, "committee")) in html
    assert _revoke_url(_grant_of(world, "secretary")) not in html  # their only secretary grant


def test_grant_form_offers_people_with_a_login_in_the_subtree(world: World) -> None:
    _person_with_login(world, "赵委员")
    services.save_person(org=world.orgs["branch"], by=None, name="没账号")
    _person_with_login(world, "外单位", org_key="other_branch")
    html = world.client("secretary").get(GRANT).content.decode()
    assert "赵委员" in html and "王党员" in html
    assert "没账号" not in html and "外单位" not in html
    assert 'value="supervisor"' not in html
    assert 'value="supervisor"' in world.client("admin").get(GRANT).content.decode()


def test_secretary_grants_a_role(world: World) -> None:
    member = world.people["member"]
    response = world.client("secretary").post(GRANT, {"person": member.pk, "role": Role.COMMITTEE})
    assert response["Location"] == NODE
    assert RoleGrant.objects.filter(user=world.users["member"], org=world.orgs["branch"], role=Role.COMMITTEE).exists()
    entry = AuditEntry.objects.get(action="role.grant", actor=world.users["secretary"])
    assert entry.actor == world.users["secretary"] and entry.data == {"user": "member", "role": "committee"}


def test_granting_twice_keeps_one_grant(world: World) -> None:
    data = {"person": world.people["member"].pk, "role": Role.OFFICE}
    world.client("secretary").post(GRANT, data)
    world.client("secretary").post(GRANT, data)
    assert RoleGrant.objects.filter(user=world.users["member"], role=Role.OFFICE).count() == 1
    assert AuditEntry.objects.filter(action="role.grant", actor=world.users["secretary"]).count() == 1


def test_secretary_cannot_grant_supervisor(world: World) -> None:
    response = world.client("secretary").post(GRANT, {"person": world.people["member"].pk, "role": Role.SUPERVISOR})
    assert response.status_code == 200
    assert "督导组成员角色只能由系统管理员授予" in response.content.decode()
    assert not RoleGrant.objects.filter(user=world.users["member"]).exists()


def test_administrator_grants_supervisor(world: World) -> None:
    url = reverse("org:role_grant", kwargs={"org_code": "P-C-D"})
    world.client("admin").post(url, {"person": world.people["member"].pk, "role": Role.SUPERVISOR})
    assert RoleGrant.objects.filter(user=world.users["member"], role=Role.SUPERVISOR).exists()


def test_person_outside_the_node_is_refused(world: World) -> None:
    stranger = _person_with_login(world, "外单位", org_key="other_branch")
    response = world.client("secretary").post(GRANT, {"person": stranger.pk, "role": Role.COMMITTEE})
    assert response.status_code == 200 and "person" in response.context["form"].errors
    assert not RoleGrant.objects.filter(user=stranger.user).exists()


def test_grant_outside_the_subtree_is_404(world: World) -> None:
    url = reverse("org:role_grant", kwargs={"org_code": "OTHER-BRANCH"})
    assert world.client("secretary").get(url).status_code == 404
    assert (
        world.client("secretary").post(url, {"person": world.people["member"].pk, "role": "committee"}).status_code
        == 404
    )
    url = reverse("org:role_grant", kwargs={"org_code": "BUREAU"})  # above the branch: seen by nobody there
    assert world.client("secretary").get(url).status_code == 404


@pytest.mark.parametrize("persona", ["committee", "office", "supervisor", "member"])
def test_other_roles_may_not_grant(world: World, persona: str) -> None:
    response = world.client(persona).post(GRANT, {"person": world.people["member"].pk, "role": Role.COMMITTEE})
    assert response.status_code == 403
    assert not RoleGrant.objects.filter(user=world.users["member"]).exists()


def test_secretary_revokes_a_grant(world: World) -> None:
    grant = _grant_of(world, "committee")
    response = world.client("secretary").post(_revoke_url(grant))
    assert response["Location"] == NODE
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert AuditEntry.objects.get(action="role.revoke").data == {"user": "committee", "role": "committee"}


def test_revoking_twice_is_harmless(world: World) -> None:
    grant = _grant_of(world, "committee")
    client = world.client("secretary")
    client.post(_revoke_url(grant))
    response = client.post(_revoke_url(grant), follow=True)
    assert response.status_code == 200 and "该角色已撤销" in response.content.decode()
    assert AuditEntry.objects.filter(action="role.revoke").count() == 1


def test_revoke_is_post_only(world: World) -> None:
    assert world.client("secretary").get(_revoke_url(_grant_of(world, "committee"))).status_code == 405


def test_revoke_of_a_grant_outside_the_node_is_refused(world: World) -> None:
    office = _grant_of(world, "office")  # on the bureau, above the branch
    response = world.client("secretary").post(_revoke_url(office), follow=True)
    assert "该角色已撤销" in response.content.decode()
    assert RoleGrant.objects.filter(pk=office.pk).exists()
    outsider = _grant_of(world, "outsider")
    assert world.client("secretary").post(_revoke_url(outsider, "OTHER-BRANCH")).status_code == 404
    assert RoleGrant.objects.filter(pk=outsider.pk).exists()


def test_committee_may_not_revoke(world: World) -> None:
    assert world.client("committee").post(_revoke_url(_grant_of(world, "committee"))).status_code == 403


def test_secretary_cannot_revoke_their_last_secretary_grant(world: World) -> None:
    grant = _grant_of(world, "secretary")
    response = world.client("secretary").post(_revoke_url(grant), follow=True)
    assert "不能撤销自己在局机关党支部唯一的支部书记角色" in response.content.decode()
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
    assert not AuditEntry.objects.filter(action="role.revoke").exists()


def test_secretary_may_revoke_a_secretary_grant_covered_by_another(world: World) -> None:
    lower = services.grant_role(user=world.users["secretary"], org=world.orgs["group"], role=Role.SECRETARY, by=None)
    world.client("secretary").post(_revoke_url(lower))
    assert not RoleGrant.objects.filter(pk=lower.pk).exists()


def test_another_secretary_of_the_branch_may_be_revoked(world: World) -> None:
    second = get_user_model().objects.create_user("second")
    grant = services.grant_role(user=second, org=world.orgs["branch"], role=Role.SECRETARY, by=None)
    world.client("secretary").post(_revoke_url(grant))
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_node_page_queries_do_not_grow_with_grants(world: World, django_assert_max_num_queries: Any) -> None:
    client = world.client("secretary")
    client.get(NODE)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(NODE)
    for n in range(5):
        person = _person_with_login(world, f"委员{n}")
        services.grant_role(user=person.user, org=world.orgs["group"], role=Role.COMMITTEE, by=None)
    with django_assert_max_num_queries(len(first)):
        client.get(NODE)
