"""A campaign's test sittings: counts for those who read the results, a member's own sheet and score."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import World, add_member
from pingyi.campaigns.models import Campaign
from pingyi.exams import selectors, services
from pingyi.exams.models import Kind, Sitting
from pingyi.exams.tests.conftest import make_bank, make_paper, make_sitting

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting(world: World, campaign: Campaign) -> Sitting:
    return make_sitting(world, campaign, make_paper(world, make_bank(world)))


def sittings(client: Client, campaign: Campaign) -> list[dict[str, Any]]:
    response = client.get(f"/api/campaigns/{campaign.pk}/exams")
    assert response.status_code == 200, response.content
    return response.json()


def test_those_who_read_results_get_each_sittings_counts(
    world: World, campaign: Campaign, sitting: Sitting, bearer: Any
) -> None:
    chen = add_member(world, "陈党员", login="chen")
    member = world.people["member"]
    sheet = services.start_sheet(sitting=sitting, person=member, by=world.users["member"])
    services.submit_sheet(sheet=sheet, by=world.users["member"])
    services.start_sheet(sitting=sitting, person=chen, by=chen.user)  # started, never handed in
    seats = len(selectors.roster(sitting))
    for persona in ["secretary", "committee", "supervisor"]:
        [row] = sittings(bearer(persona), campaign)
        assert row["id"] == sitting.pk and row["paper"] == "百题测试" and row["work_item"] == "hundred-question-test"
        assert row["counts"] == {"seats": seats, "sat": 1, "absent": seats - 1, "excused": 0}, persona


def test_a_member_sees_their_own_sheet_and_the_score_once_graded(
    world: World, campaign: Campaign, sitting: Sitting, bearer: Any
) -> None:
    [row] = sittings(bearer("member"), campaign)
    assert row["counts"] is None and row["mine"] is None
    sheet = services.start_sheet(sitting=sitting, person=world.people["member"], by=world.users["member"])
    assert sittings(bearer("member"), campaign)[0]["mine"]["state"] == "started"
    short = next(a for a in selectors.sheet_answers(sheet) if a.question.kind == Kind.SHORT)
    services.save_answer(sheet_id=sheet.pk, user_id=world.users["member"].pk, position=short.position, text="警告")
    services.submit_sheet(sheet=sheet, by=world.users["member"])
    mine = sittings(bearer("member"), campaign)[0]["mine"]
    assert mine["state"] == "submitted" and mine["pending"] == 1 and mine["score"] is None  # a short answer waits
    services.grade_short_answer(answer=selectors.ungraded(sitting).get(), points=5, comment="", by=None)
    sheet.refresh_from_db()
    mine = sittings(bearer("member"), campaign)[0]["mine"]
    assert mine["pending"] == 0 and mine["score"] == sheet.score and mine["max_score"] == sheet.max_score


def test_a_member_sees_only_the_make_ups_they_are_seated_in(
    world: World, campaign: Campaign, sitting: Sitting, bearer: Any
) -> None:
    chen = add_member(world, "陈党员", login="chen")
    now = timezone.now()
    makeup = services.create_makeup(
        sitting=sitting,
        seats=[(chen, "出差")],
        opens_at=now,
        closes_at=now + timedelta(days=1),
        time_limit=30,
        by=world.users["secretary"],
    )
    assert [s["id"] for s in sittings(bearer("member"), campaign)] == [sitting.pk]
    assert [s["id"] for s in sittings(bearer("secretary"), campaign)] == [sitting.pk, makeup.pk]
    chens = Client()
    chens.force_login(chen.user)
    [row] = [s for s in sittings(chens, campaign) if s["id"] == makeup.pk]
    assert row["makeup_of"] == sitting.pk and row["counts"] is None


def test_exams_outside_the_subtree_are_404_and_need_credentials(campaign: Campaign, bearer: Any) -> None:
    url = f"/api/campaigns/{campaign.pk}/exams"
    assert bearer("outsider").get(url).status_code == 404
    assert Client().get(url).status_code == 401
    assert bearer("secretary").get("/api/campaigns/999999/exams").status_code == 404
