"""Rounds, votes, paper ballots, decisions and notices through the services, as the pages use them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conftest import add_member, add_members
from pingyi.core.models import AuditEntry
from pingyi.evaluation import selectors, services
from pingyi.evaluation.models import (
    Decision,
    DecisionChange,
    EvaluationRound,
    Exclusion,
    PaperBatch,
    PaperEntry,
    Participation,
    RoundMember,
    VoteCount,
)
from pingyi.evaluation.selectors import committee_opinion

from .factories import close, counts_of, everyone_gives, member_of, new_round, votes

pytestmark = pytest.mark.django_db


@pytest.fixture
def raters(world: Any) -> list[Any]:
    return [*add_members(world, 6), add_member(world, "党员07", login="rater7", probationary=True)]


def vote_all(round: EvaluationRound, people: list[Any], grade: int) -> None:
    for person in people:
        services.cast_vote(round=round, rater=person, grades=everyone_gives(round, person, grade), by=person.user)


def test_opening_takes_the_roster_and_creates_every_counter(world: Any, raters: list[Any]) -> None:
    round = new_round(world, dimensions=["理想信念", "服务群众"])
    members = list(round.members.all())
    graded = [m for m in members if m.graded]
    assert len(members) == 8 and len(graded) == 7  # six raters, the world's member, one probationary
    # members + public sources × 7 graded × (overall + 2 dimensions), each row holding every grade's counter
    assert VoteCount.objects.filter(round=round).count() == 2 * 7 * 3
    assert votes(round=round) == 0


def test_rules_are_locked_once_open_in_services_and_in_the_database(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    with pytest.raises(ValidationError, match="已锁定"):
        services.update_terms(round=round, by=world.users["secretary"], grades=["好", "差"])
    for change in ({"weight_self": 0, "weight_members": 70}, {"min_raters": 2}, {"allow_public": False}):
        with pytest.raises(IntegrityError), transaction.atomic():
            EvaluationRound.objects.filter(pk=round.pk).update(**change)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationRound.objects.filter(pk=round.pk).update(status="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoundMember.objects.create(round=round, person=world.people["member"], graded=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        VoteCount.objects.create(round=round, subject=round.members.first(), source="members", dimension=9)
    round.refresh_from_db()
    assert round.min_raters == 5 and round.allow_public and round.is_open


def test_draft_rules_are_checked_with_clear_errors(world: Any, raters: list[Any]) -> None:
    round = new_round(world, opened=False)
    by = world.users["secretary"]
    base = {"grades": ["优秀", "合格"], "weight_self": 10, "weight_members": 60, "weight_public": 30}
    with pytest.raises(ValidationError, match="100%"):
        services.update_terms(round=round, by=by, **{**base, "weight_public": 20})
    with pytest.raises(ValidationError, match="不能少于 5 人"):
        services.update_terms(round=round, by=by, **base, min_raters=1)
    with pytest.raises(ValidationError, match="未定义的等次"):
        services.update_terms(round=round, by=by, **base, review_thresholds={"很差": 10})
    services.update_terms(round=round, by=by, **base, review_thresholds={"合格": 50})
    round.refresh_from_db()
    assert round.grades == ["优秀", "合格"] and round.review_thresholds == {"合格": 50}


def test_a_vote_writes_participation_and_counters_together_and_only_once(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    rater = raters[0]
    ballot = everyone_gives(round, rater, 1)
    services.cast_vote(round=round, rater=rater, grades=ballot, by=rater.user)
    assert Participation.objects.filter(round=round).count() == 1
    assert votes(round=round) == len(ballot) == 6
    with pytest.raises(services.AlreadyVoted):
        services.cast_vote(round=round, rater=rater, grades=ballot, by=rater.user)
    assert votes(round=round) == 6
    assert Participation.objects.filter(round=round).count() == 1


def test_an_incomplete_ballot_is_refused_and_nothing_is_written(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    rater = raters[0]
    ballot: dict[int, int | None] = everyone_gives(round, rater, 1)
    ballot[next(iter(ballot))] = None
    with pytest.raises(ValidationError, match="1 名党员没有选择等次"):
        services.cast_vote(round=round, rater=rater, grades=ballot, by=rater.user)
    assert not Participation.objects.exists()
    assert votes() == 0


def test_a_crash_after_the_participation_leaves_nothing(world: Any, raters: list[Any], monkeypatch: Any) -> None:
    round = new_round(world)
    rater = raters[0]

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.ballots, "increment_counters", boom)
    with pytest.raises(RuntimeError):
        services.cast_vote(round=round, rater=rater, grades=everyone_gives(round, rater, 0), by=rater.user)
    assert not Participation.objects.exists()
    assert not AuditEntry.objects.filter(action="evaluation.vote").exists()


def test_a_member_cannot_rate_themself_or_someone_off_the_list(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    rater = raters[0]
    ballot = everyone_gives(round, rater, 1)
    ballot[member_of(round, rater).pk] = 0
    with pytest.raises(ValidationError, match="无效"):
        services.cast_vote(round=round, rater=rater, grades=ballot, by=rater.user)


def test_probationary_members_vote_but_are_not_on_the_ballot(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    probationary = raters[-1]
    assert not member_of(round, probationary).graded
    services.cast_vote(
        round=round, rater=probationary, grades=everyone_gives(round, probationary, 1), by=probationary.user
    )
    assert not VoteCount.objects.filter(subject__person=probationary).exists()


def test_the_audit_log_says_someone_voted_never_what(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    vote_all(round, raters[:2], 3)
    entries = list(AuditEntry.objects.filter(action="evaluation.vote"))
    assert len(entries) == 2
    for entry in entries:
        assert entry.data == {"source": "members"}
        assert "3" not in str(entry.data) and "不合格" not in entry.target


def test_no_tally_before_closing_and_small_groups_are_withheld(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    formal = raters[:6]
    vote_all(round, formal[:4], 1)
    with pytest.raises(selectors.TallyUnavailable):
        selectors.tally(round)
    close(round, world.users["secretary"])
    round.refresh_from_db()
    tallies = selectors.tally(round)
    for member_tally in tallies.values():
        members = member_tally.sources["members"]
        assert members.raters in (3, 4) and members.withheld and members.counts == []
        assert "members" in member_tally.left_out


def test_the_tally_combines_sources_by_weight_and_flags_review(world: Any, raters: list[Any]) -> None:
    round = new_round(world, review_thresholds={"不合格": 20})
    formal = raters[:6]
    target = member_of(round, world.people["member"])
    for n, person in enumerate(formal):
        ballot = everyone_gives(round, person, 1)
        ballot[target.pk] = 3 if n < 3 else 1  # half of the raters give the world's member 不合格
        services.cast_vote(round=round, rater=person, grades=ballot, by=person.user)
    services.save_self_assessment(
        round=round, person=world.people["member"], text="认真学习", grade=1, by=world.users["member"]
    )
    close(round, world.users["secretary"])
    round.refresh_from_db()
    mine = selectors.tally(round)[target.pk]
    assert mine.sources["members"].counts == [0, 3, 0, 3]
    # self 10% on 合格, members 60% split 合格/不合格, public left out (nobody rated) and re-weighted
    assert mine.combined == pytest.approx([0, (10 + 30) / 70, 0, 30 / 70])
    assert mine.left_out == ["public"] and mine.review == ["不合格"]


def test_public_codes_are_hashed_and_used_once(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    plain = services.issue_public_codes(round=round, count=3, by=world.users["secretary"])
    stored = list(round.public_codes.values_list("code_hash", flat=True))
    assert len(set(plain)) == 3 and all(code not in stored for code in plain)
    assert all(len(h) == 64 for h in stored)
    subjects = round.members.filter(graded=True).values_list("pk", flat=True)
    ballot = dict.fromkeys(subjects, 0)
    typed = plain[0].lower()[:4] + "-" + plain[0][4:]  # typed by hand, forgiving case and dashes
    services.cast_public_vote(round=round, code=typed, grades=ballot)
    with pytest.raises(services.AlreadyVoted, match="已经使用过"):
        services.cast_public_vote(round=round, code=plain[0], grades=ballot)
    with pytest.raises(ValidationError, match="不正确"):
        services.cast_public_vote(round=round, code="ABCD-EFGH-JKMN", grades=ballot)
    assert round.public_codes.filter(used=True).count() == 1
    assert votes(round=round, source="public") == 7


def test_exclusions_need_the_level_above_and_change_the_expected_count(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    member = member_of(round, world.people["member"])
    exclusion = services.request_exclusion(round=round, member=member, reason="长期卧床", by=world.users["secretary"])
    assert selectors.participation(round).expected == 8
    services.decide_exclusion(exclusion=exclusion, approve=True, by=world.users["office"])
    summary = selectors.participation(round)
    assert summary.expected == 7 and summary.excluded == 1
    exclusion.refresh_from_db()
    assert exclusion.status == Exclusion.Status.APPROVED and exclusion.reason == "长期卧床"


def test_paper_batches_count_only_when_two_people_agree(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    secretary, committee = world.users["secretary"], world.users["committee"]
    paper_voters = [member_of(round, p) for p in raters[:5]]
    services.mark_paper_voted(round=round, members=paper_voters, by=secretary)
    with pytest.raises(ValidationError, match="本批最多 5 张"):
        services.create_batch(round=round, source="members", ballots=6, by=secretary)
    batch = services.create_batch(round=round, source="members", ballots=5, by=secretary)
    target = member_of(round, world.people["member"]).pk
    typed = {f"{target}:0:0": 2, f"{target}:0:1": 3}
    first = services.enter_batch(batch=batch, counts=typed, by=secretary)
    assert first.waiting and votes() == 0
    with pytest.raises(ValidationError, match="超过本批 5 张"):
        services.enter_batch(batch=batch, counts={f"{target}:0:0": 6}, by=committee)
    second = services.enter_batch(batch=batch, counts={f"{target}:0:0": 5}, by=committee)
    assert second.mismatched == [f"{target}:0:0", f"{target}:0:1"] and votes() == 0
    again = services.enter_batch(batch=batch, counts=typed, by=committee)
    batch.refresh_from_db()
    assert not again.mismatched and batch.status == PaperBatch.Status.COUNTED and len(batch.digest) == 64
    assert counts_of(round=round, subject_id=target, source="members", dimension=0)[:4] == [2, 3, 0, 0]
    assert all(e.counts == {} for e in PaperEntry.objects.filter(batch=batch))  # typed tallies erased
    with pytest.raises(ValidationError, match="已经核对计入"):
        services.enter_batch(batch=batch, counts={}, by=secretary)


def test_closing_waits_for_unreconciled_batches(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    services.mark_paper_voted(
        round=round, members=[member_of(round, p) for p in raters[:5]], by=world.users["secretary"]
    )
    services.create_batch(round=round, source="members", ballots=5, by=world.users["secretary"])
    with pytest.raises(ValidationError, match="未核对计入"):
        services.close_round(round=round, by=world.users["secretary"])


def _closed(world: Any, raters: list[Any]) -> EvaluationRound:
    round = new_round(world)
    vote_all(round, raters[:6], 1)
    return close(round, world.users["secretary"])


def test_the_committee_sets_grades_within_the_cap_and_changes_are_logged(world: Any, raters: list[Any]) -> None:
    round = _closed(world, raters)
    by = world.users["committee"]
    graded = list(round.members.filter(graded=True).order_by("pk"))
    assert services.top_grade_limit(round, len(graded)) == 2  # 7 graded × 1/3, rounded down
    for member in graded[:2]:
        services.decide(member=member, grade=0, opinion="表现突出", reason="带头学习", by=by)
    with pytest.raises(ValidationError, match="最多 2 人"):
        services.decide(member=graded[2], grade=0, opinion="表现突出", reason="带头学习", by=by)
    with pytest.raises(ValidationError, match="变更理由"):
        services.decide(member=graded[0], grade=1, opinion="合格", reason="一般", by=by)
    services.decide(member=graded[0], grade=1, opinion="合格", reason="一般", change_reason="复议", by=by)
    change = DecisionChange.objects.get()
    assert (change.old_grade, change.new_grade, change.reason) == (0, 1, "复议")
    assert AuditEntry.objects.filter(action="evaluation.decision_change").count() == 1
    probationary = round.members.get(graded=False)
    with pytest.raises(ValidationError, match="不评定等次"):
        services.decide(member=probationary, grade=1, opinion="合格", reason="一般", by=by)
    services.decide(member=probationary, grade=None, opinion="积极", reason="按期参加", by=by)
    opinion = committee_opinion(graded[0].person, round.campaign)
    assert opinion is not None and (opinion.grade_label, opinion.opinion) == ("合格", "合格")


def test_no_decision_before_closing(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    with pytest.raises(ValidationError, match="测评结束后"):
        services.decide(member=round.members.first(), grade=1, opinion="a", reason="b", by=world.users["committee"])
    assert committee_opinion(world.people["member"], round.campaign) is None


def test_the_notice_needs_every_decision_and_freezes_counts_and_hash(world: Any, raters: list[Any]) -> None:
    round = _closed(world, raters)
    by = world.users["secretary"]
    with pytest.raises(ValidationError, match="没有形成评定意见"):
        services.publish_notice(round=round, scope="branch", title="", remarks="", by=by)
    for member in round.members.all():
        services.decide(member=member, grade=1 if member.graded else None, opinion="合格", reason="一贯", by=by)
    notice = services.publish_notice(round=round, scope="public", title="", remarks="", by=by)
    with pytest.raises(ValidationError, match="请写明再次发布的原因"):
        services.publish_notice(round=round, scope="public", title="x", remarks="y", by=by)
    assert notice.audit_hash == round.close_hash
    assert AuditEntry.objects.get(hash=round.close_hash).action == "evaluation.round_close"
    assert notice.counts["voted"] == 6 and notice.counts["expected"] == 8
    assert notice.counts["grades"] == [["优秀", 0], ["合格", 7], ["基本合格", 0], ["不合格", 0]]
    assert notice.counts["ungraded"] == 1
    assert Decision.objects.count() == 8
