"""Adding a node under another from its page."""

import pytest
from django.urls import reverse

from conftest import World
from pingyi.core.models import AuditEntry
from pingyi.org.models import OrgType, OrgUnit, OrgUnitChange

pytestmark = pytest.mark.django_db

ADD = reverse("org:node_add", kwargs={"org_code": "BRANCH"})
GROUP2 = {"type": OrgType.GROUP, "code": "BRANCH-G2", "name": "第二党小组"}


def test_secretary_adds_a_group_under_the_branch(world: World) -> None:
    response = world.client("secretary").post(ADD, GROUP2)
    child = OrgUnit.objects.get(code="BRANCH-G2")
    assert response["Location"] == reverse("org:node", kwargs={"org_code": "BRANCH-G2"})
    assert child.parent == world.orgs["branch"]
    assert child.path == f"{world.orgs['branch'].path}{child.pk}/"
    assert child.depth == world.orgs["branch"].depth + 1
    assert OrgUnitChange.objects.filter(
        org=child, kind=OrgUnitChange.Kind.CREATED, by=world.users["secretary"]
    ).exists()
    assert AuditEntry.objects.filter(action="org.create", actor=world.users["secretary"]).count() == 1


def test_node_page_links_to_the_form_only_for_tree_managers(world: World) -> None:
    node = reverse("org:node", kwargs={"org_code": "BRANCH"})
    assert ADD in world.client("secretary").get(node).content.decode()
    assert ADD not in world.client("committee").get(node).content.decode()


def test_form_suggests_a_code_under_the_parent(world: World) -> None:
    assert 'value="BRANCH-"' in world.client("secretary").get(ADD).content.decode()


def test_duplicate_code_is_a_form_error(world: World) -> None:
    response = world.client("secretary").post(ADD, {**GROUP2, "code": "OTHER-BRANCH"})
    assert response.status_code == 200
    assert "组织代码“OTHER-BRANCH”已被使用，请换一个" in response.content.decode()
    assert OrgUnit.objects.filter(name="第二党小组").count() == 0


def test_code_with_a_slash_is_refused(world: World) -> None:
    response = world.client("secretary").post(ADD, {**GROUP2, "code": "BRANCH/G2"})
    assert "代码只能包含字母、数字" in response.content.decode()
    assert not OrgUnit.objects.filter(name="第二党小组").exists()


def test_double_submit_adds_one_node(world: World) -> None:
    client = world.client("secretary")
    client.post(ADD, GROUP2)
    response = client.post(ADD, GROUP2)
    assert response.status_code == 302
    assert OrgUnit.objects.filter(code="BRANCH-G2").count() == 1
    assert AuditEntry.objects.filter(action="org.create", actor=world.users["secretary"]).count() == 1


def test_outside_the_subtree_is_404(world: World) -> None:
    url = reverse("org:node_add", kwargs={"org_code": "OTHER-BRANCH"})
    assert world.client("secretary").post(url, GROUP2).status_code == 404
    assert not OrgUnit.objects.filter(code="BRANCH-G2").exists()


def test_committee_is_403(world: World) -> None:
    assert world.client("committee").post(ADD, GROUP2).status_code == 403


def test_wrong_method_is_405(world: World) -> None:
    assert world.client("secretary").put(ADD).status_code == 405
