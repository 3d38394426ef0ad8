from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World, add_member
from pingyi.api.views import MAX_LIMIT
from pingyi.org import services as org_services
from pingyi.org.models import MemberStatus, OrgUnit

pytestmark = pytest.mark.django_db

PEOPLE = "/api/orgs/BRANCH/people"


def codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["items"]]


def test_org_list_is_the_tree_the_user_can_see(world: World, bearer: Any) -> None:
    assert codes(bearer("secretary").get("/api/orgs/")) == ["BRANCH", "BRANCH-G1"]
    assert codes(bearer("office").get("/api/orgs/")) == ["BUREAU", "BRANCH", "BRANCH-G1"]
    assert codes(bearer("outsider").get("/api/orgs/")) == ["OTHER-BRANCH"]
    assert len(codes(bearer("supervisor").get("/api/orgs/"))) == 6
    assert len(codes(bearer("admin").get("/api/orgs/"))) == 8


def test_org_list_hides_the_parent_above_the_users_reach(world: World, bearer: Any) -> None:
    rows = {row["code"]: row for row in bearer("secretary").get("/api/orgs/").json()["items"]}
    assert rows["BRANCH"]["parent"] is None  # the bureau above is not the secretary's to see
    assert rows["BRANCH-G1"]["parent"] == "BRANCH"
    assert rows["BRANCH"]["type"] == "branch" and rows["BRANCH"]["type_label"] == "党支部"


def test_a_member_sees_their_branch_in_the_list_but_may_not_open_it(world: World, bearer: Any) -> None:
    member = bearer("member")
    rows = member.get("/api/orgs/").json()["items"]
    assert [(r["code"], r["can_view"]) for r in rows] == [("BRANCH", False), ("BRANCH-G1", False)]
    assert member.get("/api/orgs/BRANCH").status_code == 403
    secretary_rows = bearer("secretary").get("/api/orgs/").json()["items"]
    assert all(r["can_view"] for r in secretary_rows)


def test_org_detail_names_parent_and_children(world: World, bearer: Any) -> None:
    response = bearer("committee").get("/api/orgs/BRANCH")
    assert response.json() == {
        "code": "BRANCH",
        "name": "局机关党支部",
        "type": "branch",
        "type_label": "党支部",
        "depth": 4,
        "parent": "BUREAU",
        "children": ["BRANCH-G1"],
    }


@pytest.mark.parametrize("url", ["/api/orgs/BRANCH", PEOPLE])
def test_outside_the_subtree_is_404_in_json(world: World, bearer: Any, url: str) -> None:
    response = bearer("outsider").get(url)
    assert response.status_code == 404
    assert response.json()["detail"] == "没有找到，或不在您的权限范围内"


def test_an_unknown_code_is_404_like_one_outside_the_subtree(world: World, bearer: Any) -> None:
    assert bearer("admin").get("/api/orgs/NOPE").json() == bearer("outsider").get("/api/orgs/BRANCH").json()


@pytest.mark.parametrize("url", ["/api/orgs/BRANCH", PEOPLE])
def test_a_read_only_role_is_403_in_json(world: World, bearer: Any, url: str) -> None:
    response = bearer("member").get(url)
    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色无权查看此内容"


@pytest.mark.parametrize(
    ("persona", "masked"),
    [("admin", False), ("secretary", False), ("office", False), ("committee", True), ("supervisor", True)],
)
def test_people_are_masked_unless_the_role_may_see_private_data(
    world: World, bearer: Any, persona: str, masked: bool
) -> None:
    (person,) = bearer(persona).get(PEOPLE).json()["items"]
    assert person["name"] == "王党员" and person["org"] == "BRANCH" and person["group"] == "BRANCH-G1"
    if masked:
        assert person["id_number"] == "110***********002X" and person["phone"] == "138****8000"
    else:
        assert person["id_number"] == "11010519491231002X" and person["phone"] == "13800138000"


def test_people_filter_by_kind_and_status(world: World, bearer: Any) -> None:
    org_services.save_person(org=world.orgs["branch"], by=None, name="群众甲", kind="staff")
    add_member(world, "退休党员", org="group", status=MemberStatus.RETIRED)
    client = bearer("secretary")
    names = lambda query: [p["name"] for p in client.get(PEOPLE, query).json()["items"]]  # noqa: E731
    assert names({"kind": "staff"}) == ["群众甲"]
    assert names({"kind": "member", "status": "retired"}) == ["退休党员"]
    assert sorted(names({})) == sorted(["王党员", "群众甲", "退休党员"])
    assert client.get(PEOPLE, {"kind": "alien"}).status_code == 422


def test_people_are_paginated(world: World, bearer: Any) -> None:
    for n in range(4):
        add_member(world, f"党员{n}")
    client = bearer("secretary")
    page = client.get(PEOPLE, {"limit": 2, "offset": 1}).json()
    assert page["count"] == 5 and len(page["items"]) == 2
    everyone = [p["name"] for p in client.get(PEOPLE).json()["items"]]
    assert [p["name"] for p in page["items"]] == everyone[1:3]
    assert client.get(PEOPLE, {"limit": 0}).status_code == 422


def test_a_page_holds_at_most_500_rows(world: World, bearer: Any) -> None:
    group = world.orgs["group"]
    OrgUnit.objects.bulk_create(
        OrgUnit(parent=group, type="office", code=f"X{n}", name=f"科室{n}", path=f"{group.path}x{n}/", depth=6)
        for n in range(MAX_LIMIT)
    )
    page = bearer("admin").get("/api/orgs/", {"limit": 10_000}).json()
    assert MAX_LIMIT == 500 and page["count"] == 508 and len(page["items"]) == 500


def test_people_list_queries_do_not_grow_with_people(world: World, bearer: Any, django_assert_num_queries: Any) -> None:
    client = bearer("secretary")
    client.get(PEOPLE)  # the first call records the token's use
    with CaptureQueriesContext(connection) as few:
        client.get(PEOPLE)
    for n in range(10):
        add_member(world, f"党员{n}", group="group", posts=[{"org": world.orgs["branch"], "title": "委员"}])
    # token, two for the grants, the node, count, people (with org and group), their posts; and for a caller
    # shown unmasked numbers, the count and the row of the access log (core.PrivateDataView)
    with django_assert_num_queries(9):
        response = client.get(PEOPLE)
    assert len(few) == 9, few.captured_queries
    assert sum(p["posts"] == ["委员"] for p in response.json()["items"]) == 10
