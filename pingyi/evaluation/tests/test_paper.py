"""Paper ballots keep their secrecy in the corners (issue 11 item 7): a batch holds at least the minimum number
of raters, a typing nobody confirmed (or one that disagreed) cannot be read back, and the kept digests are salted."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from conftest import add_members
from pingyi.core.models import AuditEntry
from pingyi.evaluation import selectors, services
from pingyi.evaluation.models import PaperEntry
from pingyi.evaluation.services.paper import tally_digest

from .factories import close, member_of, new_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(world: Any) -> Any:
    add_members(world, 8)
    return new_round(world)


def _on_paper(world: Any, round: Any, count: int) -> list[Any]:
    people = [world.people[f"rater{n}"] for n in range(1, count + 1)]
    members = [member_of(round, p) for p in people]
    services.mark_paper_voted(round=round, members=members, by=world.users["secretary"])
    return members


def test_a_batch_of_fewer_ballots_than_the_minimum_is_refused(world: Any, round: Any) -> None:
    _on_paper(world, round, 1)  # a named paper voter's single ballot
    for source, ballots in (("members", 1), ("public", 4)):
        with pytest.raises(ValidationError, match="每批至少 5 张"):
            services.create_batch(round=round, source=source, ballots=ballots, by=world.users["secretary"])
    assert not round.paper_batches.exists()


def test_the_batch_form_says_the_minimum(world: Any, round: Any) -> None:
    _on_paper(world, round, 3)
    client = world.client("secretary")
    url = reverse("evaluation:batch_create", kwargs={"round_id": round.pk})
    response = client.post(url, {"source": "members", "ballots": 3})
    assert "每批至少 5 张" in client.get(response["Location"]).content.decode()
    page = client.get(reverse("evaluation:round", kwargs={"round_id": round.pk})).content.decode()
    assert 'min="5" name="ballots"' in page and "党员纸质票待成批 3 张" in page


def _typed(round: Any, world: Any) -> dict[str, int]:
    target = member_of(round, world.people["member"]).pk
    return {f"{target}:0:0": 2, f"{target}:0:1": 3}


def _stored_entries() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT counts FROM {PaperEntry._meta.db_table}")
        return repr(cursor.fetchall())


def test_a_typing_waiting_for_its_second_entry_cannot_be_read_back(world: Any, round: Any) -> None:
    _on_paper(world, round, 5)
    batch = services.create_batch(round=round, source="members", ballots=5, by=world.users["secretary"])
    services.enter_batch(batch=batch, counts=_typed(round, world), by=world.users["secretary"])
    entry = PaperEntry.objects.get()
    cells = round.members.filter(graded=True).count() * 1 * 4
    assert len(entry.counts) == cells  # every cell, zeros included: which cells hold votes does not show
    assert all(len(v) == 32 and v not in ("0", "2", "3") for v in entry.counts.values())
    assert len(set(entry.counts.values())) == cells  # a zero in one cell does not look like a zero in another
    stored = _stored_entries()
    assert "=2" not in stored and ": 2" not in stored and ": 3" not in stored


def test_a_typing_that_disagreed_cannot_be_read_back_either(world: Any, round: Any) -> None:
    _on_paper(world, round, 5)
    batch = services.create_batch(round=round, source="members", ballots=5, by=world.users["secretary"])
    services.enter_batch(batch=batch, counts=_typed(round, world), by=world.users["secretary"])
    target = member_of(round, world.people["member"]).pk
    result = services.enter_batch(batch=batch, counts={f"{target}:0:0": 5}, by=world.users["committee"])
    assert result.mismatched == [f"{target}:0:0", f"{target}:0:1"]
    first, second = PaperEntry.objects.order_by("pk")
    assert set(first.counts) == set(second.counts)
    differing = sorted(c for c in first.counts if first.counts[c] != second.counts[c])
    assert differing == result.mismatched  # they still compare, cell by cell
    assert ": 5" not in _stored_entries()


def test_the_kept_digest_is_salted_and_checks_a_recount(world: Any, round: Any) -> None:
    _on_paper(world, round, 5)
    batch = services.create_batch(round=round, source="members", ballots=5, by=world.users["secretary"])
    typed = _typed(round, world)
    services.enter_batch(batch=batch, counts=typed, by=world.users["secretary"])
    services.enter_batch(batch=batch, counts=typed, by=world.users["committee"])
    batch.refresh_from_db()
    unsalted = hashlib.sha256(json.dumps(typed, sort_keys=True).encode()).hexdigest()
    entry = AuditEntry.objects.get(action="evaluation.batch_counted")
    assert entry.data == {"ballots": 5, "digest": batch.digest} and batch.digest != unsalted
    assert batch.salt not in json.dumps(entry.data)  # the log alone cannot test a guessed tally
    assert tally_digest(batch, typed) == batch.digest  # the paper, recounted, checks against it
    assert tally_digest(batch, {**typed, next(iter(typed)): 1}) != batch.digest


def test_closing_waits_for_ballots_enough_for_a_batch_and_the_notice_names_the_rest(world: Any, round: Any) -> None:
    secretary = world.users["secretary"]
    _on_paper(world, round, 8)
    batch = services.create_batch(round=round, source="members", ballots=5, by=secretary)
    for clerk in ("secretary", "committee"):
        services.enter_batch(batch=batch, counts=_typed(round, world), by=world.users[clerk])
    assert selectors.unbatched_member_ballots(round) == 3
    services.mark_paper_voted(
        round=round, members=[member_of(round, world.people["member"])], by=secretary
    )  # a ninth hands in paper: four left over, too few to form a batch of their own
    round = close(round, secretary)
    for member in round.members.all():
        services.decide(member=member, grade=1, opinion="合格", reason="一贯", by=secretary)
    notice = services.publish_notice(round=round, scope="branch", title="", remarks="", by=secretary)
    assert notice.counts["paper_uncounted"] == 4 and notice.counts["paper"] == 9
    assert "其中 4 张党员纸质票不足一批的最少张数" in selectors.paper_sentence(notice.counts)
    page = world.client("member").get(reverse("evaluation:notice", kwargs={"notice_id": notice.pk})).content.decode()
    assert "其中 4 张党员纸质票" in page
    assert AuditEntry.objects.get(action="evaluation.round_close").data["paper_uncounted"] == 4


def test_closing_is_refused_while_a_whole_batch_is_left_unentered(world: Any, round: Any) -> None:
    _on_paper(world, round, 5)
    with pytest.raises(ValidationError, match="还有 5 张党员纸质票没有成批录入"):
        close(round, world.users["secretary"])
