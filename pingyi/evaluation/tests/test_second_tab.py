"""A ballot from a second tab is dropped, and the voter is told so plainly (issue 11 item 10)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import add_members
from pingyi.evaluation import selectors, services

from .factories import everyone_gives, member_of, new_round, votes

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(world: Any) -> Any:
    add_members(world, 5)
    return new_round(world)


def _ballot(round: Any, world: Any, grade: int) -> dict[str, str]:
    me = member_of(round, world.people["member"])
    return {f"g-{m.pk}": str(grade) for m in round.members.filter(graded=True).exclude(pk=me.pk)}


def test_the_second_tabs_ballot_is_not_counted_and_the_voter_is_told(world: Any, round: Any) -> None:
    client = world.client("member")
    url = reverse("evaluation:rate", kwargs={"round_id": round.pk})
    assert client.post(url, _ballot(round, world, 1)).status_code == 302  # the first tab
    second = client.post(url, _ballot(round, world, 3))  # the second tab, opened before the first was sent
    body = second.content.decode()
    assert second.status_code == 409
    assert "您已经投过票了，这次提交的选择没有计入" in body and 'id="already-voted"' not in body
    assert 'id="ballot"' not in body  # nothing is offered to send again
    assert votes(round=round) == 5 and votes(round=round, grade_3__gt=0) == 0


def test_a_race_lost_in_the_service_reads_the_same(world: Any, round: Any, monkeypatch: Any) -> None:
    services.cast_vote(
        round=round,
        rater=world.people["member"],
        grades=everyone_gives(round, world.people["member"], 1),
        by=world.users["member"],
    )
    monkeypatch.setattr(selectors, "has_voted", lambda member: False)  # the page thought this was the first
    response = world.client("member").post(
        reverse("evaluation:rate", kwargs={"round_id": round.pk}), _ballot(round, world, 3)
    )
    assert response.status_code == 409 and "这次提交的选择没有计入" in response.content.decode()
    assert votes(round=round) == 5


def test_a_used_public_code_says_the_choices_were_not_counted(world: Any, round: Any) -> None:
    (code,) = services.issue_public_codes(round=round, count=1, by=world.users["secretary"])
    ballot = {f"g-{m.pk}": "1" for m in round.members.filter(graded=True)}
    url = reverse("evaluation:public_rate", kwargs={"round_key": round.public_key})
    assert world.client("anonymous").post(url, {"code": code, **ballot}).status_code == 200
    again = world.client("anonymous").post(url, {"code": code, **ballot})
    assert again.status_code == 400 and "这次提交的选择没有计入" in again.content.decode()


def test_the_page_says_voted_on_a_plain_visit(world: Any, round: Any) -> None:
    client = world.client("member")
    url = reverse("evaluation:rate", kwargs={"round_id": round.pk})
    client.post(url, _ballot(round, world, 1))
    page = client.get(url)
    assert page.status_code == 200 and 'id="already-voted"' in page.content.decode()
