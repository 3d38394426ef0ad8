"""Reads for the evaluation pages, the committee, notices and other apps.

`committee_opinion` is a contract: written feedback (pingyi.feedback) calls it.
Tallies exist only after a round closes, and only where enough raters rated (ADR 0004).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.campaigns.progress import PersonRow, get_rule, person_progress
from pingyi.org.models import Person

from .models import (
    ANONYMOUS_SOURCES,
    BASIC_LABEL,
    CORRECTION_LABELS,
    FAILED_LABEL,
    GRADE_COLUMNS,
    TOP_LABEL,
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
    grade_label: str  # e.g. 合格; "" for a probationary member, who is not graded
    opinion: str  # the committee's evaluation opinion text
    reason: str
    correct_by: date | None = None  # 不合格: the deadline to correct (限期改正)
    round_id: int | None = None

    @property
    def graded(self) -> bool:
        return bool(self.grade_label)

    @property
    def is_top(self) -> bool:
        return self.grade_label == TOP_LABEL

    @property
    def needs_correction(self) -> bool:
        """基本合格 or 不合格: the shortcomings are pointed out, and for 不合格 corrected by a deadline."""
        return self.grade_label in CORRECTION_LABELS

    @property
    def failed(self) -> bool:
        return self.grade_label == FAILED_LABEL

    @property
    def what_follows(self) -> str:
        return what_follows(self.grade_label, self.correct_by)


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
    return CommitteeOpinion(
        grade_label=decision.grade_label,
        opinion=decision.opinion,
        reason=decision.reason,
        correct_by=decision.correct_by,
        round_id=decision.member.round_id,
    )


def what_follows(grade_label: str, correct_by: date | None) -> str:
    """What a grade means for the member, in DOMAIN.md's terms: 基本合格, the shortcomings are pointed out
    and followed up; 不合格, education and a deadline to correct (at most a year), then organisational
    measures. Nothing for the other grades, or for grade names the rules do not know."""
    if grade_label == BASIC_LABEL:
        return _(
            "根据民主评议党员的有关规定，评定为基本合格的，支部指出存在的问题，帮助其整改。"
            "请对照上述问题认真整改，支部将跟踪整改情况，并在下一年度民主评议时报告整改落实情况。"
        )
    if grade_label == FAILED_LABEL:
        deadline = f"{correct_by.year}年{correct_by.month}月{correct_by.day}日" if correct_by else ""
        return _(
            "根据民主评议党员的有关规定，评定为不合格的，支部进行教育帮助，限期改正。"
            "请于%(deadline)s前改正上述问题；期满仍无转变或者拒不改正的，支部将按照有关规定作出组织处置。"
        ) % {"deadline": deadline}
    return ""


def opinion_pending(person: Person, campaign: Campaign) -> bool:
    """The member is on a round of the campaign that has not closed, or has closed without their decision."""
    return RoundMember.objects.filter(person=person, round__campaign=campaign, decision__isnull=True).exists()


@dataclass(frozen=True)
class ResultTable:
    """A member's vote result as a table: one row for the overall grade and one per dimension, one column per
    source; a cell the minimum-raters rule withholds says so. For the feedback page and letter."""

    headers: list[str]
    rows: list[list[str]]


def result_table(round: EvaluationRound, found: MemberTally) -> ResultTable:
    def cell(counts: list[int] | None, raters: int) -> str:
        if not raters:
            return str(_("无人测评"))
        if counts is None:
            return _("不足 %(n)d 人，不显示") % {"n": round.min_raters}
        shown = "，".join(f"{label} {n}" for label, n in zip(round.grades, counts, strict=False))
        return _("%(counts)s（%(n)d 人）") % {"counts": shown, "n": raters}

    sources = list(found.sources.values())
    rows = [[str(_("总体评价")), *(cell(None if s.withheld else s.counts, s.raters) for s in sources)]]
    for n, name in enumerate(round.dimensions):
        row = [name]
        for s in sources:
            dim = s.dimensions[n] if s.dimensions else None
            row.append(cell(dim.counts if dim else None, dim.raters if dim else s.raters))
        rows.append(row)
    return ResultTable(headers=[str(_("测评项目")), *(s.label for s in sources)], rows=rows)


def result_tables(campaign: Campaign, people: list[int]) -> dict[int, ResultTable]:
    """Members' own vote results (person id -> table) in the campaign's closed rounds, the latest round for
    each, by the committee page's rules (withheld below the minimum number of raters). A few queries per
    round, whatever the number of members: the merged letters read them all at once."""
    latest: dict[int, RoundMember] = {}
    members = RoundMember.objects.filter(
        person_id__in=people, graded=True, round__campaign=campaign, round__status=EvaluationRound.Status.CLOSED
    ).select_related("round")
    for member in members.order_by("round__closed_at", "pk"):
        latest[member.person_id] = member
    by_round: dict[int, list[RoundMember]] = defaultdict(list)
    for member in latest.values():
        by_round[member.round_id].append(member)
    tables: dict[int, ResultTable] = {}
    for chosen in by_round.values():
        round = chosen[0].round
        tallies = tally(round, subjects=[m.pk for m in chosen])
        tables.update({m.person_id: result_table(round, tallies[m.pk]) for m in chosen if m.pk in tallies})
    return tables


def own_result_table(person: Person, campaign: Campaign) -> ResultTable | None:
    """A member's own vote result, for their feedback; None if they were not graded in a closed round."""
    return result_tables(campaign, [person.pk]).get(person.pk)


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
        """Rounded down, so a shown 95% has been reached (94.6% shows as 94%)."""
        return 100 * self.voted // self.expected if self.expected else 100

    @property
    def meets_target(self) -> bool:
        """Exactly, not by the rounded percentage shown: 94.6% does not meet 95%."""
        return 100 * self.voted >= self.target * self.expected

    @property
    def missing(self) -> int:
        """How many more would have to vote to meet the target."""
        return max(0, -(-self.target * self.expected // 100) - self.voted)


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


def not_yet_voted(round: EvaluationRound) -> list[RoundMember]:
    """Who on the list has not voted (approved exclusions left out): for those who chase participation
    (view_org), as the campaign's progress and the audit log already show them (ADR 0004, "Who took part")."""
    excluded = round.exclusions.filter(status=Exclusion.Status.APPROVED).values("member_id")
    return list(
        round.members.filter(participations=None)
        .exclude(pk__in=excluded)
        .select_related("person")
        .order_by("person__org__path", "person_id")
    )


def unbatched_member_ballots(round: EvaluationRound) -> int:
    """Members' paper ballots handed in (their participation recorded) and not yet in a batch. Fewer than
    `min_raters` of them cannot be counted without showing the two clerks how those few voted."""
    voters = round.participations.filter(on_paper=True).count()
    return voters - sum(round.paper_batches.filter(source=RaterSource.MEMBERS).values_list("ballots", flat=True))


# ---------------------------------------------------------------- the tally (after closing)


class TallyUnavailable(ValidationError):
    pass


@dataclass(frozen=True)
class DimensionTally:
    """One dimension (分项) from one source: how many rated it, and the counts unless withheld."""

    name: str
    raters: int
    counts: list[int] | None  # None: fewer than min_raters rated this dimension (or nobody did)


@dataclass
class SourceTally:
    source: str
    raters: int  # raters from this source who gave this member an overall grade
    withheld: bool  # fewer than min_raters: nothing of it is shown
    counts: list[int]  # per grade, overall; empty when withheld
    dimensions: list[DimensionTally] = field(default_factory=list)  # empty when withheld

    @property
    def shares(self) -> list[float]:
        return [c / self.raters for c in self.counts] if self.raters and not self.withheld else []

    @property
    def label(self) -> str:
        return str(RaterSource(self.source).label)


@dataclass(frozen=True)
class Weighting:
    """How one source entered the combined share: the round's weight, and the share it really had."""

    source: str
    nominal: int  # percent, as the round's rules set it
    used: float  # its share of the combination (0 when left out): nominal / the sum of the weights used
    left_out: str  # why it was left out ("" when it was used)

    @property
    def label(self) -> str:
        return str(RaterSource(self.source).label)


@dataclass
class MemberTally:
    member: RoundMember
    self_grade: int | None
    sources: dict[str, SourceTally]
    combined: list[float]  # share per grade, weights over the sources shown; empty if none
    left_out: list[str]  # sources with a weight left out of the combined share (withheld, no raters, no self grade)
    review: list[str]  # thresholds crossed: grade labels that send the member to the committee
    weighting: list[Weighting] = field(default_factory=list)

    @property
    def renormalised(self) -> bool:
        """A source with a weight was left out, so the others' weights were scaled up to fill its place."""
        return bool(self.left_out) and bool(self.combined)

    @property
    def how_combined(self) -> str:
        """Said beside the combined figure: the weights as set, or, when a source was left out, the
        weights really used and why the source is missing (10/60/30 becomes 14/86/0)."""
        if not self.combined:
            return ""
        if not self.renormalised:
            parts = "、".join(f"{w.label} {w.nominal}%" for w in self.weighting)
            return _("按%(parts)s加权。") % {"parts": parts}
        used = "、".join(f"{w.label} {w.used * 100:.0f}%" for w in self.weighting if not w.left_out)
        missing = "；".join(
            _("%(source)s（权重 %(weight)d%%）未计入：%(why)s")
            % {"source": w.label, "weight": w.nominal, "why": w.left_out}
            for w in self.weighting
            if w.left_out
        )
        return _("按%(used)s折算。%(missing)s。") % {"used": used, "missing": missing}


def tally(round: EvaluationRound, subjects: list[int] | None = None) -> dict[int, MemberTally]:
    """Per graded member: the counts by source (and by dimension), the weighted combination, and the review flags.

    Refused before the round closes. A source's figures for a member are withheld when fewer than
    `min_raters` rated that member from it, and withheld sources stay out of the combination, which then
    says how it was combined (`weighting`); a dimension's figures are withheld by the same rule.
    """
    if not round.is_closed:
        raise TallyUnavailable(_("测评结束前不显示任何测评结果。"))
    n_grades = len(round.grades)
    cells: dict[tuple[int, str, int], list[int]] = defaultdict(lambda: [0] * n_grades)
    counters = VoteCount.objects.filter(round=round)
    members_qs = round.members.filter(graded=True).select_related("person", "self_assessment")
    if subjects is not None:  # one member's own result: only their counters
        counters, members_qs = counters.filter(subject_id__in=subjects), members_qs.filter(pk__in=subjects)
    for row in counters.values_list("subject_id", "source", "dimension", *GRADE_COLUMNS):
        cells[(row[0], row[1], row[2])] = list(row[3 : 3 + n_grades])
    members = list(members_qs)
    result: dict[int, MemberTally] = {}
    for member in members:
        assessment = getattr(member, "self_assessment", None)
        self_grade = assessment.grade if assessment and assessment.is_submitted else None
        sources: dict[str, SourceTally] = {}
        for source in ANONYMOUS_SOURCES:
            if source == RaterSource.PUBLIC and not round.allow_public:
                continue
            overall = cells[(member.pk, source, 0)]
            raters = sum(overall)
            withheld = 0 < raters < round.min_raters
            dims = []
            for dim, name in enumerate(round.dimensions, start=1):
                counts = cells[(member.pk, source, dim)]
                shown = sum(counts) >= round.min_raters
                dims.append(DimensionTally(name, sum(counts), counts if shown else None))
            sources[source] = SourceTally(
                source=source,
                raters=raters,
                withheld=withheld,
                counts=[] if withheld else overall,
                dimensions=[] if withheld else dims,
            )
        combined, weighting = _combine(round, self_grade, sources)
        left_out = [w.source for w in weighting if w.left_out]
        review = [
            label
            for label, percent in round.review_thresholds.items()
            if combined and label in round.grades and combined[round.grades.index(label)] * 100 >= percent
        ]
        result[member.pk] = MemberTally(member, self_grade, sources, combined, left_out, review, weighting)
    return result


def _combine(
    round: EvaluationRound, self_grade: int | None, sources: dict[str, SourceTally]
) -> tuple[list[float], list[Weighting]]:
    """The weighted share per grade over the sources shown, and how each source with a weight entered it."""
    parts: list[tuple[str, int, list[float]]] = []
    missing: dict[str, str] = {}
    if self_grade is not None:
        parts.append((RaterSource.SELF, round.weight_self, [float(g == self_grade) for g in range(len(round.grades))]))
    elif round.weight_self:
        missing[RaterSource.SELF] = _("未提交个人讲评")
    for source, st in sources.items():
        if not round.weight(source):
            continue
        if st.withheld:
            missing[source] = _("测评人数不足 %(n)d 人") % {"n": round.min_raters}
        elif not st.raters:
            missing[source] = _("无人测评")
        else:
            parts.append((source, round.weight(source), st.shares))
    total = sum(w for _s, w, _shares in parts)
    used = {source: (w / total if total else 0.0) for source, w, _shares in parts}
    weighting = [
        Weighting(source, round.weight(source), used.get(source, 0.0), missing.get(source, ""))
        for source in (RaterSource.SELF, *sources)
        if round.weight(source)
    ]
    if not total:
        return [], weighting
    combined = [sum(w * shares[g] for _s, w, shares in parts) / total for g in range(len(round.grades))]
    return combined, weighting


# ---------------------------------------------------------------- the committee's page


@dataclass(frozen=True)
class CommitteeRow:
    member: RoundMember
    tally: MemberTally | None  # None for probationary members (not on the ballot)
    decision: Decision | None


@dataclass(frozen=True)
class CommitteeBoard:
    """The committee's page: every member with their tally and decision, and the count so far against the cap."""

    rows: list[CommitteeRow]
    graded: int
    top_limit: int  # how many may get the top grade
    given: list[tuple[str, int]]  # per grade, decisions made so far
    undecided: list[RoundMember]
    flagged: set[int]  # RoundMember ids whose tally crossed a review threshold: decide them one by one

    @property
    def top_given(self) -> int:
        return self.given[0][1] if self.given else 0


@dataclass(frozen=True)
class CapCount:
    """Decisions so far against the cap on the top grade, for the committee page and the decision page."""

    graded: int
    top_limit: int
    given: list[tuple[str, int]]  # per grade

    @property
    def top_given(self) -> int:
        return self.given[0][1] if self.given else 0


def top_grade_limit(round: EvaluationRound, graded: int) -> int:
    """How many members may receive the top grade: the cap's share of the graded members, rounded down."""
    return graded * round.top_cap_num // round.top_cap_den


def cap_count(round: EvaluationRound) -> CapCount:
    graded = round.members.filter(graded=True).count()
    by_grade = dict(
        Decision.objects.filter(member__round=round, grade__isnull=False)
        .values_list("grade")
        .annotate(n=Count("pk"))
        .values_list("grade", "n")
    )
    given = [(label, by_grade.get(i, 0)) for i, label in enumerate(round.grades)]
    return CapCount(graded=graded, top_limit=top_grade_limit(round, graded), given=given)


def committee_board(round: EvaluationRound) -> CommitteeBoard:
    tallies = tally(round)
    members = list(round.members.select_related("person", "decision").order_by("person__org__path", "person_id"))
    rows = [CommitteeRow(m, tallies.get(m.pk), getattr(m, "decision", None)) for m in members]
    graded = sum(1 for m in members if m.graded)
    given = [sum(1 for r in rows if r.decision and r.decision.grade == i) for i in range(len(round.grades))]
    return CommitteeBoard(
        rows=rows,
        graded=graded,
        top_limit=top_grade_limit(round, graded),
        given=list(zip(round.grades, given, strict=True)),
        undecided=[r.member for r in rows if r.decision is None],
        flagged={pk for pk, t in tallies.items() if t.review},
    )


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
        assessment=SelfAssessment.objects.filter(member=member, submitted_at__isnull=False).first(),
        tally=tallies.get(member.pk),
        opinions=opinions_about(member.person, round.campaign),
        record=campaign_record(member.person, round.campaign),
        decision=Decision.objects.filter(member=member).prefetch_related("changes__changed_by").first(),
    )


# ---------------------------------------------------------------- notices and progress


def notice_counts(round: EvaluationRound) -> dict[str, Any]:
    """The figures a notice freezes; `target_sentence` words the participation against the target."""
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
        "paper_uncounted": unbatched_member_ballots(round),
        "target": summary.target,
        "meets_target": summary.meets_target,
        "shortfall_reason": round.shortfall_reason,
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


def paper_sentence(counts: dict[str, Any]) -> str:
    left = counts.get("paper_uncounted", 0)
    if not left:
        return ""
    return _("其中 %(n)d 张党员纸质票不足一批的最少张数，单独计入会让录入的人看出个人的投票，未计入测评结果。") % {
        "n": left
    }


def target_sentence(counts: dict[str, Any]) -> str:
    """Whether participation met the target, and if not, the reason recorded when the round closed.
    Notices published before the target was recorded (no "target" key) say nothing about it."""
    if "target" not in counts:
        return ""
    if counts["meets_target"]:
        return _("达到 %(target)d%% 的参评率目标。") % {"target": counts["target"]}
    return _("未达到 %(target)d%% 的参评率目标，经支部确认结束测评，原因：%(reason)s") % {
        "target": counts["target"],
        "reason": counts["shortfall_reason"].rstrip("。") + "。",
    }
