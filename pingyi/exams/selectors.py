"""Named reads for the test's pages, the campaign's progress and the stage summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from pingyi.campaigns.models import Audience, Campaign, Excusal, Stage, WorkItem
from pingyi.campaigns.progress import audience
from pingyi.org.models import OrgUnit, Person

from .analysis import ItemStats, PaperAnalysis, analyse
from .models import Answer, AnswerSheet, MakeupSeat, Paper, Question, QuestionBank, Sitting

WEAK_BELOW = 0.5  # a question fewer than half got right goes to the next study session


def banks_for(org: OrgUnit) -> QuerySet[QuestionBank]:
    """Banks of the node and of the nodes above it (a district's bank serves its branches)."""
    return QuestionBank.objects.filter(org_id__in=[*org.ancestor_ids(), org.pk])


def papers_for(org: OrgUnit) -> QuerySet[Paper]:
    return Paper.objects.filter(org_id__in=[*org.ancestor_ids(), org.pk]).select_related("bank")


def sittings_of(campaign: Campaign) -> QuerySet[Sitting]:
    return Sitting.objects.filter(campaign=campaign).select_related("paper", "work_item", "makeup_of")


def exam_items(campaign: Campaign) -> QuerySet[WorkItem]:
    return WorkItem.objects.filter(stage__campaign=campaign, rule="exams.sat").select_related("stage")


def default_paper(campaign: Campaign, item: WorkItem | None) -> Paper | None:
    code = (item.params or {}).get("paper", "") if item else ""
    papers = papers_for(campaign.org)
    return (papers.filter(code=code).first() if code else None) or papers.first()


def answers_released_at(sitting: Sitting) -> datetime:
    """Right answers are shown once the sitting and every make-up of it have closed."""
    first = sitting.makeup_of or sitting
    later = Sitting.objects.filter(makeup_of=first).aggregate(last=Max("closes_at"))["last"]
    return max(first.closes_at, later) if later else first.closes_at


def answers_released(sitting: Sitting, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= answers_released_at(sitting)


@dataclass(frozen=True)
class SeatRow:
    person: Person
    sheet: AnswerSheet | None
    excused: str = ""  # the campaign's recorded reason for not holding them to the test
    makeup_reason: str = ""  # why they missed it, recorded with their make-up seat

    @property
    def state(self) -> str:
        if self.sheet and self.sheet.submitted_at:
            return "submitted"
        if self.sheet:
            return "started"
        return "excused" if self.excused else "absent"


def roster(sitting: Sitting) -> list[SeatRow]:
    """Everyone the sitting is for, with their sheet (or why they have none)."""
    if sitting.makeup_of_id:
        seats = {s.person_id: s.reason for s in MakeupSeat.objects.filter(sitting=sitting)}
        people = list(Person.objects.filter(pk__in=seats).order_by("org__path", "id"))
    else:
        seats = {}
        people = list(audience(org=sitting.org, audience=Audience.MEMBERS))
    sheets = {s.person_id: s for s in AnswerSheet.objects.filter(sitting=sitting)}
    excused = excusals(sitting.campaign, sitting.work_item)
    makeup_reasons = dict(MakeupSeat.objects.filter(sitting__makeup_of=sitting).values_list("person_id", "reason"))
    return [
        SeatRow(
            person=p,
            sheet=sheets.get(p.pk),
            excused=excused.get(p.pk, ""),
            makeup_reason=seats.get(p.pk, "") or makeup_reasons.get(p.pk, ""),
        )
        for p in people
    ]


def excusals(campaign: Campaign, item: WorkItem | None) -> dict[int, str]:
    rows = Excusal.objects.filter(Q(work_item__isnull=True) | Q(work_item=item), campaign=campaign)
    return dict(rows.values_list("person_id", "reason"))


def sheet_answers(sheet: AnswerSheet) -> list[Answer]:
    return list(sheet.answers.select_related("question").order_by("position"))


def ungraded(sitting: Sitting) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(sheet__sitting=sitting, sheet__submitted_at__isnull=False, points__isnull=True)
        .select_related("question", "sheet__person")
        .order_by("sheet__person__name", "position")
    )


def my_sheets(person: Person, campaign: Campaign) -> dict[int, AnswerSheet]:
    return {s.sitting_id: s for s in AnswerSheet.objects.filter(person=person, sitting__campaign=campaign)}


def recent_sheets(person: Person, limit: int = 10) -> list[AnswerSheet]:
    """The member's own answer sheets, newest first: where the test page sends them back to."""
    sheets = AnswerSheet.objects.filter(person=person).select_related("sitting__campaign")
    return list(sheets.order_by("-started_at", "-id")[:limit])


def my_sittings(person: Person, campaign: Campaign) -> list[Sitting]:
    """The regular sittings of the campaign and the make-ups the person has a seat in."""
    seated = MakeupSeat.objects.filter(person=person).values("sitting_id")
    return list(sittings_of(campaign).filter(Q(makeup_of__isnull=True) | Q(pk__in=seated)).order_by("opens_at", "id"))


def paper_analysis(paper: Paper) -> PaperAnalysis:
    sheets = AnswerSheet.objects.filter(sitting__paper=paper, submitted_at__isnull=False)
    scores = dict(sheets.values_list("id", "score"))
    rows = list(
        Answer.objects.filter(sheet__in=sheets).values_list(
            "sheet_id", "question_id", "response", "points", "max_points"
        )
    )
    questions = {q.pk: q for q in Question.objects.filter(pk__in={r[1] for r in rows})}
    return analyse(scores, rows, questions, weak_below=WEAK_BELOW)


def paper_still_open(paper: Paper, now: datetime | None = None) -> bool:
    return Sitting.objects.filter(paper=paper, closes_at__gt=now or timezone.now()).exists()


def weak_questions(paper: Paper) -> list[ItemStats]:
    """Questions most members got wrong, hardest first: material for the next study session."""
    return [item for item in paper_analysis(paper).items if item.weak]


@dataclass(frozen=True)
class Absent:
    person_id: int
    name: str
    reason: str  # the make-up seat's reason, or "" when nobody recorded one


@dataclass(frozen=True)
class StageStatistics:
    expected: int  # members the test is for, less those excused
    sat: int
    absent: tuple[Absent, ...]
    excused: tuple[Absent, ...]  # with the campaign's recorded reason
    average: float | None
    pass_mark: int | None
    passed: int
    pass_rate: float | None  # of those who sat and are graded
    highest: int | None = None
    lowest: int | None = None
    sittings: tuple[int, ...] = field(default=())


def stage_statistics(campaign: Campaign, stage: Stage) -> StageStatistics:
    """The test in a stage's summary: who sat, who did not and why, the average and the pass rate."""
    sittings = list(Sitting.objects.filter(campaign=campaign, work_item__stage=stage).select_related("paper"))
    people = list(audience(org=campaign.org, audience=Audience.MEMBERS).values_list("id", "name"))
    items = {s.work_item_id for s in sittings if s.work_item_id}
    excused_map: dict[int, str] = {}
    for item in WorkItem.objects.filter(pk__in=items):
        excused_map.update(excusals(campaign, item))
    sheets = list(
        AnswerSheet.objects.filter(sitting__in=sittings, submitted_at__isnull=False).values_list(
            "person_id", "score", "pending"
        )
    )
    best: dict[int, int | None] = {}
    for person_id, score, pending in sheets:
        value = score if not pending else None
        best[person_id] = max(best.get(person_id) or 0, value or 0) if value is not None else best.get(person_id)
    reasons = dict(MakeupSeat.objects.filter(sitting__in=sittings).values_list("person_id", "reason"))
    sat = [pk for pk, _n in people if pk in best]
    excused = tuple(Absent(pk, name, excused_map[pk]) for pk, name in people if pk in excused_map and pk not in best)
    absent = tuple(
        Absent(pk, name, reasons.get(pk, "")) for pk, name in people if pk not in best and pk not in excused_map
    )
    graded = [v for v in best.values() if v is not None]
    pass_mark = sittings[0].paper.pass_mark if sittings else None
    passed = sum(1 for v in graded if pass_mark is not None and v >= pass_mark)
    return StageStatistics(
        expected=len(people) - len(excused),
        sat=len(sat),
        absent=absent,
        excused=excused,
        average=round(sum(graded) / len(graded), 1) if graded else None,
        pass_mark=pass_mark,
        passed=passed,
        pass_rate=round(passed / len(graded), 3) if graded else None,
        highest=max(graded) if graded else None,
        lowest=min(graded) if graded else None,
        sittings=tuple(s.pk for s in sittings),
    )
