"""Activities and their registers, and the per-person progress of a campaign, as the pages show them."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from conftest import World, add_member
from pingyi.campaigns import services as campaigns
from pingyi.campaigns.models import Campaign
from pingyi.study import services as study
from pingyi.study.kinds import load
from pingyi.study.models import Activity, ActivityKind, Status
from pingyi.study.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kinds() -> None:
    load(ActivityKind)  # a transactional test before may have flushed the migration's rows


def schedule(world: World, code: str, start: Any, title: str, org: str = "branch") -> Activity:
    plan = study.Plan(
        kind=ActivityKind.objects.get(code=code),
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        lecturer_name="党校讲师" if code == "party_lecture" else "",
    )
    return study.schedule_activity(org=world.orgs[org], plan=plan, by=world.users["secretary"])


def titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [a["title"] for a in response.json()["items"]]


def test_activities_are_listed_and_filtered_as_on_the_study_pages(world: World, bearer: Any) -> None:
    schedule(world, "study", at(2005, 3, 1), "学习党章")
    schedule(world, "party_lecture", at(2005, 3, 15), "专题党课")
    schedule(world, "study", at(2005, 4, 2), "学习讲话")
    schedule(world, "study", at(2005, 3, 2), "别的支部", org="other_branch")
    url = "/api/orgs/BRANCH/activities"
    assert titles(bearer("secretary").get(url)) == ["学习党章", "专题党课", "学习讲话"]
    assert titles(bearer("member").get(url + "?from=2005-03-01&to=2005-03-31")) == ["学习党章", "专题党课"]
    assert titles(bearer("supervisor").get(url + "?kind=party_lecture")) == ["专题党课"]
    assert titles(bearer("secretary").get(url + "?from=2005-04-01")) == ["学习讲话"]
    lecture = bearer("member").get(url + "?kind=party_lecture").json()["items"][0]
    assert lecture["kind_name"] == "党课" and lecture["lecturer"] == "党校讲师" and lecture["hours"] == 2.0
    assert lecture["org"] == "BRANCH" and lecture["stage"] is None
    assert bearer("outsider").get(url).status_code == 404
    assert Client().get(url).status_code == 401
    for bad in ["from=2005-13-01", "to=0", "from=20050301"]:
        assert bearer("secretary").get(f"{url}?{bad}").status_code == 422, bad


def test_the_register_shows_names_to_those_who_view_the_branch(world: World, bearer: Any) -> None:
    chen = add_member(world, "陈党员")
    activity = schedule(world, "study", at(2005, 3, 1), "学习党章")
    study.mark_attendance(activity=activity, person=world.people["member"], status=Status.ABSENT, by=None)
    study.mark_attendance(activity=activity, person=chen, status=Status.LEAVE, reason="出差", by=None)
    url = f"/api/activities/{activity.pk}"
    for persona in ["secretary", "committee", "supervisor"]:
        body = bearer(persona).get(url).json()
        rows = {r["person"]["name"]: r for r in body["attendance"]}
        assert rows["王党员"]["status"] == "absent" and rows["王党员"]["source"] == "register", persona
        assert rows["陈党员"]["status"] == "leave" and rows["陈党员"]["reason"] == "出差"
        assert all(r["required"] for r in body["attendance"])
        assert body["counts"]["absent"] == 1 and body["counts"]["leave"] == 1
        assert body["counts"]["required"] == len(body["attendance"])
    body = bearer("member").get(url).json()
    assert body["title"] == "学习党章" and body["counts"] is None
    assert body["attendance"] == [
        {
            "person": {"id": world.people["member"].pk, "name": "王党员"},
            "required": True,
            "status": "absent",
            "reason": "",
            "source": "register",
            "made_up": False,
        }
    ]
    assert "陈党员" not in str(body)
    assert bearer("outsider").get(url).status_code == 404
    assert Client().get(url).status_code == 401
    assert bearer("secretary").get("/api/activities/999999").status_code == 404


def test_a_make_up_shows_on_the_members_row(world: World, bearer: Any) -> None:
    activity = schedule(world, "study", at(2005, 3, 1), "学习党章")
    absent = study.mark_attendance(
        activity=activity, person=world.people["member"], status=Status.ABSENT, by=world.users["secretary"]
    )
    study.record_makeup(
        attendance=absent, by=world.users["secretary"], what="自学党章", studied_on=at(2005, 3, 3).date(),
        confirmed_how="in_person", note="",
    )  # fmt: skip
    row = bearer("member").get(f"/api/activities/{activity.pk}").json()["attendance"][0]
    assert row["status"] == "absent" and row["made_up"] is True


def item(body: dict[str, Any], stage: int, code: str) -> dict[str, Any]:
    return next(i for i in body["stages"][stage]["items"] if i["code"] == code)


def test_progress_names_each_persons_state_for_those_the_pages_show_names_to(
    world: World, campaign: Campaign, bearer: Any
) -> None:
    chen = add_member(world, "陈党员")
    campaigns.excuse(campaign=campaign, person=chen, reason="长期病休", by=world.users["secretary"])
    url = f"/api/campaigns/{campaign.pk}/progress"
    for persona in ["secretary", "committee", "supervisor"]:
        body = bearer(persona).get(url).json()
        assert body["shows_names"] and [s["status"] for s in body["stages"]] == ["open", "pending", "pending"]
        attendance = item(body, 0, "attendance")  # ten sessions asked for, the 2005 stage long past
        people = {p["person"]["name"]: p for p in attendance["people"]}
        assert people["王党员"]["state"] == "overdue" and people["王党员"]["left"] == "还差 10 次", persona
        assert people["陈党员"]["state"] == "excused" and people["陈党员"]["reason"] == "长期病休"
        assert attendance["progress"] == "tracked" and attendance["mine"] is None
        later = item(body, 1, "solicit-opinions")
        assert later["progress"] == "not_started" and later["people"] is None


def test_a_member_gets_only_their_own_states(world: World, campaign: Campaign, bearer: Any) -> None:
    add_member(world, "陈党员")
    activity = schedule(world, "study", at(2005, 1, 1), "学习党章")
    activity.stage = campaign.stages.get(order=1)
    activity.save(update_fields=["stage"])
    study.mark_attendance(activity=activity, person=world.people["member"], status=Status.PRESENT, by=None)
    body = bearer("member").get(f"/api/campaigns/{campaign.pk}/progress").json()
    assert not body["shows_names"]
    attendance = item(body, 0, "attendance")
    assert attendance["people"] is None
    assert attendance["mine"] == {
        "person": {"id": world.people["member"].pk, "name": "王党员"},
        "state": "overdue",
        "left": "还差 9 次",
        "reason": "",
        "done_on": None,
    }
    assert "陈党员" not in str(body)


def test_progress_outside_the_subtree_is_404_and_needs_credentials(campaign: Campaign, bearer: Any) -> None:
    url = f"/api/campaigns/{campaign.pk}/progress"
    assert bearer("outsider").get(url).status_code == 404
    assert Client().get(url).status_code == 401
    assert bearer("secretary").get("/api/campaigns/999999/progress").status_code == 404
