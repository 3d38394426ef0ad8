"""Reads for the evaluation pages, the committee, notices and other apps.

`committee_opinion` is a contract: written feedback (pingyi.feedback) calls it.
Tallies exist only after a round closes, and only where enough raters rated (ADR 0004).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.campaigns.progress import PersonRow, get_rule, person_progress
from pingyi.org.models import Person

from .models import (
    ANONYMOUS_SOURCES,
    GRADE_COLUMNS,
    Decision,
    EvaluationRound,
    Exclusion,
    PaperBatch,
    Participation,
    RaterSource,
    RoundMember,
    SelfAssessment,
    VoteCount,
)


@dataclass(frozen=True)
class CommitteeOpinion:
    grade_label: str  # e.g. 合格
    opinion: str  # the committee's evaluation opinion text
    reason: str


def committee_opinion(person: Person, campaign: Campaign) -> CommitteeOpinion | None:
    """The branch committee's settled opinion on a member in the campaign's evaluation, if one exists.

    None until an evaluation round of the campaign has closed and the committee has set the opinion.
    """
    decision = (
        Decision.objects.filter(
            member__person=person,
            member__round__campaign=campaign,
            member__round__status=EvaluationRound.Status.CLOSED,
        )
        .select_related("member__round")
        .order_by("-member__round__closed_at", "-pk")
        .first()
    )
    if decision is None:
        return None
    return CommitteeOpinion(grade_label=decision.grade_label, opinion=decision.opinion, reason=decision.reason)


# ---------------------------------------------------------------- participation (a total only)


@dataclass(frozen=True)
class ParticipationSummary:
    members: int  # everyone on the round's list
    excluded: int  # approved exclusions
    voted: int  # members who voted, online or on paper
    public: int  # public ballots: codes used plus counted paper ballots from the public
    target: int  # percent

    @property
    def expected(self) -> int:
        return self.members - self.excluded

    @property
    def percent(self) -> int:
        return round(100 * self.voted / self.expected) if self.expected else 100

    @property
    def meets_target(self) -> bool:
        return self.percent >= self.target


def participation(round: EvaluationRound) -> ParticipationSummary:
    """Never per member being evaluated: a running count per member would date each vote."""
    members = round.members.count()
    excluded_ids = set(round.exclusions.filter(status=Exclusion.Status.APPROVED).values_list("member_id", flat=True))
    voted_ids = set(round.participations.values_list("member_id", flat=True))
    paper_public = sum(
        round.paper_batches.filter(source=RaterSource.PUBLIC, status=PaperBatch.Status.COUNTED).values_list(
            "ballots", flat=True
        )
    )
    return ParticipationSummary(
        members=members,
        # someone excluded who still voted counts as voted, not as excluded
        excluded=len(excluded_ids - voted_ids),
        voted=len(voted_ids),
        public=round.public_codes.filter(used=True).count() + paper_public,
        target=round.participation_target,
    )


# ---------------------------------------------------------------- the tally (after closing)


class TallyUnavailable(ValidationError):
    pass


@dataclass
class SourceTally:
    source: str
    raters: int  # raters from this source who gave this member an overall grade
    withheld: bool  # fewer than min_raters: nothing of it is shown
    counts: list[int]  # per grade, overall; empty when withheld
    dimensions: list[list[int] | None] = field(default_factory=list)  # per dimension, None when withheld

    @property
    def shares(self) -> list[float]:
        return [c / self.raters for c in self.counts] if self.raters and not self.withheld else []


@dataclass
class MemberTally:
    member: RoundMember
    self_grade: int | None
    sources: dict[str, SourceTally]
    combined: list[float]  # share per grade, weights over the sources shown; empty if none
    left_out: list[str]  # sources left out of the combined share (withheld or no raters)
    review: list[str]  # thresholds crossed: grade labels that send the member to the committee


def tally(round: EvaluationRound) -> dict[int, MemberTally]:
    """Per graded member: the counts by source, the weighted combination and the review flags.

    Refused before the round closes. A source's figures for a member are withheld when fewer than
    `min_raters` rated that member from it, and withheld sources stay out of the combination.
    """
    if not round.is_closed:
        raise TallyUnavailable(_("测评结束前不显示任何测评结果。"))
    n_grades, n_dims = len(round.grades), len(round.dimensions)
    cells: dict[tuple[int, str, int], list[int]] = defaultdict(lambda: [0] * n_grades)
    for row in VoteCount.objects.filter(round=round).values_list("subject_id", "source", "dimension", *GRADE_COLUMNS):
        cells[(row[0], row[1], row[2])] = list(row[3 : 3 + n_grades])
    members = list(round.members.filter(graded=True).select_related("person", "self_assessment"))
    result: dict[int, MemberTally] = {}
    for member in members:
        assessment = getattr(member, "self_assessment", None)
        self_grade = assessment.grade if assessment else None
        sources: dict[str, SourceTally] = {}
        for source in ANONYMOUS_SOURCES:
            if source == RaterSource.PUBLIC and not round.allow_public:
                continue
            overall = cells[(member.pk, source, 0)]
            raters = sum(overall)
            withheld = 0 < raters < round.min_raters
            dims: list[list[int] | None] = []
            for dim in range(1, n_dims + 1):
                counts = cells[(member.pk, source, dim)]
                dims.append(None if sum(counts) < round.min_raters else counts)
            sources[source] = SourceTally(
                source=source,
                raters=raters,
                withheld=withheld,
                counts=[] if withheld else overall,
                dimensions=[] if withheld else dims,
            )
        combined, left_out = _combine(round, self_grade, sources)
        review = [
            label
            for label, percent in round.review_thresholds.items()
            if combined and label in round.grades and combined[round.grades.index(label)] * 100 >= percent
        ]
        result[member.pk] = MemberTally(member, self_grade, sources, combined, left_out, review)
    return result


def _combine(
    round: EvaluationRound, self_grade: int | None, sources: dict[str, SourceTally]
) -> tuple[list[float], list[str]]:
    parts: list[tuple[int, list[float]]] = []
    left_out: list[str] = []
    if self_grade is not None:
        parts.append((round.weight_self, [1.0 if g == self_grade else 0.0 for g in range(len(round.grades))]))
    elif round.weight_self:
        left_out.append(RaterSource.SELF)
    for source, st in sources.items():
        if st.withheld or not st.raters:
            if round.weight(source):
                left_out.append(source)
            continue
        parts.append((round.weight(source), st.shares))
    total = sum(w for w, _ in parts)
    if not total:
        return [], left_out
    return [sum(w * shares[g] for w, shares in parts) / total for g in range(len(round.grades))], left_out


# ---------------------------------------------------------------- a member's dossier for the committee


@dataclass(frozen=True)
class RecordLine:
    item: WorkItem
    state: str  # done / todo / untracked


@dataclass
class Dossier:
    member: RoundMember
    assessment: SelfAssessment | None
    tally: MemberTally | None  # None for probationary members (not on the ballot)
    opinions: QuerySet[Any]
    record: list[RecordLine]
    decision: Decision | None


def campaign_record(person: Person, campaign: Campaign) -> list[RecordLine]:
    """The member's own state on every work item of the campaign that is about them, from the records
    (items about other people, or done by others for the node, are not part of their record)."""
    row = (
        Person.objects.filter(pk=person.pk)
        .with_post_flags()
        .values_list("id", "name", "org__path", "is_leader", "is_committee")
        .first()
    )
    if row is None:
        return []
    me = PersonRow(*row)
    items = WorkItem.objects.filter(stage__campaign=campaign).select_related("stage").order_by("stage__order", "order")
    lines = []
    for item in items:
        if not me.concerned_by(item.audience):
            continue
        if get_rule(item.rule) is None:
            lines.append(RecordLine(item, "untracked"))
            continue
        state = person_progress(item, campaign.org, me).mine
        if state:
            lines.append(RecordLine(item, state))
    return lines


def dossier(member: RoundMember, tallies: dict[int, MemberTally] | None = None) -> Dossier:
    from pingyi.opinions.selectors import opinions_about

    round = member.round
    if tallies is None:
        tallies = tally(round)
    return Dossier(
        member=member,
        assessment=SelfAssessment.objects.filter(member=member).first(),
        tally=tallies.get(member.pk),
        opinions=opinions_about(member.person, round.campaign),
        record=campaign_record(member.person, round.campaign),
        decision=Decision.objects.filter(member=member).prefetch_related("changes__changed_by").first(),
    )


# ---------------------------------------------------------------- notices and progress


def notice_counts(round: EvaluationRound) -> dict[str, Any]:
    summary = participation(round)
    by_grade = dict(
        Decision.objects.filter(member__round=round, grade__isnull=False)
        .values_list("grade")
        .annotate(n=Count("pk"))
        .values_list("grade", "n")
    )
    return {
        "members": summary.members,
        "excluded": summary.excluded,
        "expected": summary.expected,
        "voted": summary.voted,
        "percent": summary.percent,
        "paper": round.participations.filter(on_paper=True).count(),
        "public": summary.public,
        "ungraded": round.members.filter(graded=False).count(),
        "grades": [[label, by_grade.get(i, 0)] for i, label in enumerate(round.grades)],
    }


def rounds_of(campaign: Campaign) -> QuerySet[EvaluationRound]:
    return EvaluationRound.objects.filter(campaign=campaign).select_related("org")


def has_voted(member: RoundMember) -> bool:
    return Participation.objects.filter(round_id=member.round_id, member=member).exists()


def people_with_decisions(campaign: Campaign, people: QuerySet[Person]) -> set[int]:
    return set(
        Decision.objects.filter(
            member__round__campaign=campaign,
            member__round__status=EvaluationRound.Status.CLOSED,
            member__person__in=people,
        ).values_list("member__person_id", flat=True)
    )


def all_decided(campaign: Campaign) -> bool:
    """Every closed round of the campaign has a decision for each of its members (and there is one)."""
    rounds = EvaluationRound.objects.filter(campaign=campaign, status=EvaluationRound.Status.CLOSED).annotate(
        undecided=Count("members", filter=Q(members__decision__isnull=True))
    )
    found = list(rounds.values_list("undecided", flat=True))
    return bool(found) and not any(found)
