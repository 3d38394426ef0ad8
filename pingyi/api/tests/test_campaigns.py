from typing import Any

import pytest

from conftest import World, add_member
from pingyi.campaigns import services
from pingyi.campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def detail(client: Any, campaign: Campaign) -> dict[str, Any]:
    response = client.get(f"/api/campaigns/{campaign.pk}")
    assert response.status_code == 200, response.content
    return response.json()


def item(body: dict[str, Any], stage: int, code: str) -> dict[str, Any]:
    return next(i for i in body["stages"][stage]["work_items"] if i["code"] == code)


def test_campaign_list_is_what_the_user_may_see(world: World, campaign: Campaign, bearer: Any) -> None:
    other = services.create_campaign(
        org=world.orgs["other_branch"],
        template=campaign.template,
        title="",
        starts_on=campaign.starts_on,
        by=world.users["outsider"],
    )
    for persona in ["secretary", "member", "supervisor"]:
        ids = [c["id"] for c in bearer(persona).get("/api/campaigns/").json()["items"]]
        assert campaign.pk in ids and (other.pk in ids) is (persona == "supervisor")
    assert [c["id"] for c in bearer("outsider").get("/api/campaigns/").json()["items"]] == [other.pk]
    row = bearer("secretary").get("/api/campaigns/").json()["items"][0]
    assert row["org"] == "BRANCH" and row["current_stage"] == "学习动员" and row["status"] == "open"


def test_campaign_detail_reports_progress_from_the_records(
    world: World, campaign: Campaign, bearer: Any, rule_done_by: dict[str, set[int]], untracked: Any
) -> None:
    untracked("writings.reflection_accepted")
    chen = add_member(world, "陈党员")
    rule_done_by["exams.sat"] = {world.people["member"].pk}
    body = detail(bearer("secretary"), campaign)
    assert body["org"] == "BRANCH" and body["template"] == "advanced-nature-education" and body["shows_names"]
    assert [s["status"] for s in body["stages"]] == ["open", "pending", "pending"]
    test = item(body, 0, "hundred-question-test")
    assert (test["progress"], test["done"], test["expected"], test["percent"]) == ("tracked", 1, 2, 50)
    assert test["missing"] == [{"id": chen.pk, "name": "陈党员"}]
    reflection = item(body, 0, "reflection")  # its provider hidden: no records, no number
    assert reflection["progress"] == "untracked" and reflection["done"] is None and reflection["missing"] is None
    later = item(body, 1, "solicit-opinions")
    assert later["progress"] == "not_started" and later["expected"] is None


def test_missing_names_only_for_roles_the_page_shows_them_to(
    world: World, campaign: Campaign, bearer: Any, rule_done_by: dict[str, set[int]]
) -> None:
    add_member(world, "陈党员")
    rule_done_by["exams.sat"] = {world.people["member"].pk}
    for persona in ["admin", "secretary", "committee", "office", "supervisor"]:
        assert item(detail(bearer(persona), campaign), 0, "hundred-question-test")["missing"] is not None, persona
    mine = detail(bearer("member"), campaign)
    assert not mine["shows_names"]
    test = item(mine, 0, "hundred-question-test")
    assert test["missing"] is None and test["done"] == 1 and test["mine"] == "done"
    assert item(mine, 0, "attendance")["mine"] == "overdue"  # the 2005 stage is long past
    assert item(mine, 0, "attendance")["states"]["overdue"] == 2
    assert "陈党员" not in str(mine)


def test_campaign_detail_shows_the_lookback_state(world: World, campaign: Campaign, bearer: Any) -> None:
    stage = campaign.stages.get(order=1)
    first = stage.lookback_items.first()
    assert first is not None
    services.check_lookback_item(item=first, by=world.users["secretary"], note="已核对")
    lookback = detail(bearer("committee"), campaign)["stages"][0]["lookback"]
    assert lookback["checked"] == 1 and lookback["total"] == stage.lookback_items.count()
    assert not lookback["complete"]
    assert lookback["items"][0]["checked"] and lookback["items"][0]["note"] == "已核对"
    assert not lookback["items"][1]["checked"] and lookback["items"][1]["checked_at"] is None


def test_campaign_outside_the_subtree_is_404(world: World, campaign: Campaign, bearer: Any) -> None:
    response = bearer("outsider").get(f"/api/campaigns/{campaign.pk}")
    assert response.status_code == 404 and "detail" in response.json()
    assert bearer("secretary").get("/api/campaigns/999999").status_code == 404
