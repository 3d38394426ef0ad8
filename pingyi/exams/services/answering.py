"""Sitting a paper: start (or resume), save answers as they are given, submit once; paper answer sheets.

The time limit is the server's: a sheet's `due_at` is fixed when it starts, an answer saved after it is
refused, and a sheet past it is submitted the next time anyone touches it (`submit_due_sheets` sweeps the
rest). Saving an answer takes a share of the sheet's row lock and submitting takes the whole lock, so an
answer never lands after the grading read it. Answers are not audited one by one (a hundred a member);
the sheet's start, submission and entry are.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Audience
from pingyi.campaigns.progress import audience
from pingyi.core import audit
from pingyi.org.models import Person

from ..drawing import draw, new_seed
from ..grading import encode_choices
from ..models import CHOICE_KINDS, Answer, AnswerSheet, Kind, MakeupSeat, Mode, Question, Sitting
from .marking import grade_sheets
from .papers import paper_spec

MAX_TEXT_ANSWER = 2000
TIME_UP = _("答题时间已到，这个答案没有保存。")


def may_sit(sitting: Sitting, person: Person) -> bool:
    if sitting.makeup_of_id:
        return MakeupSeat.objects.filter(sitting=sitting, person=person).exists()
    return audience(org=sitting.org, audience=Audience.MEMBERS).filter(pk=person.pk).exists()


def start_sheet(
    *,
    sitting: Sitting,
    person: Person,
    by: Any,
    mode: str = Mode.ONLINE,
    now: datetime | None = None,
    is_demo: bool = False,
) -> AnswerSheet:
    """The person's sheet for the sitting: the one they started (on any phone), or a new draw."""
    now = now or timezone.now()
    existing = AnswerSheet.objects.filter(sitting=sitting, person=person).first()
    if existing is not None:
        return existing
    if not may_sit(sitting, person):
        raise ValidationError(_("%(name)s 不在这次考试的应考名单里。") % {"name": person.name})
    if now >= sitting.closes_at:
        raise ValidationError(_("这次考试已经结束。"))
    if mode == Mode.ONLINE and now < sitting.opens_at:
        raise ValidationError(_("考试还没有开始，开始时间是 %(at)s。") % {"at": timezone.localtime(sitting.opens_at)})
    try:
        with transaction.atomic():
            return _new_sheet(sitting, person, by, mode, now, is_demo)
    except IntegrityError:  # the same person started on two phones at once: the first draw stands
        return AnswerSheet.objects.get(sitting=sitting, person=person)


def _new_sheet(sitting: Sitting, person: Person, by: Any, mode: str, now: datetime, is_demo: bool) -> AnswerSheet:
    seed = new_seed()
    drawn = draw(paper_spec(sitting.paper), seed)
    due = (
        sitting.closes_at if mode == Mode.PAPER else min(now + timedelta(minutes=sitting.time_limit), sitting.closes_at)
    )
    sheet = AnswerSheet.objects.create(
        sitting=sitting,
        person=person,
        seed=seed,
        mode=mode,
        started_at=now,
        due_at=due,
        max_score=sum(d.points for d in drawn),
        is_demo=is_demo,
    )
    Answer.objects.bulk_create(
        Answer(
            sheet=sheet, position=i, question_id=d.question_id, option_order=list(d.option_order), max_points=d.points
        )
        for i, d in enumerate(drawn, start=1)
    )
    audit.record(
        actor=by,
        action="exams.sheet_started",
        org=sitting.org,
        target=sheet,
        data={"person": person.pk, "mode": mode, "seed": seed},
    )
    return sheet


@dataclass(frozen=True)
class Saved:
    position: int
    saved_at: datetime


def save_answer(
    *,
    sheet_id: int,
    user_id: int,
    position: int,
    choices: Sequence[str] = (),
    text: str | None = None,
    now: datetime | None = None,
) -> Saved:
    """Save one answer as given: the option ids chosen, or the text written. One row, under the sheet's lock.

    Only the sheet's own member saves (AnswerSheet.DoesNotExist for anyone else: the view answers 404).
    """
    now = now or timezone.now()
    response = (text or "").strip()[:MAX_TEXT_ANSWER] if text is not None else encode_choices(_ids(choices))
    with transaction.atomic():
        state = (
            AnswerSheet.objects.select_for_update(no_key=True, of=("self",))
            .filter(pk=sheet_id, person__user_id=user_id)
            .values_list("submitted_at", "due_at")
            .first()
        )
        if state is None:
            raise AnswerSheet.DoesNotExist
        submitted_at, due_at = state
        if submitted_at is not None:
            raise ValidationError(_("已经交卷，答案不能再修改。"))
        if now >= due_at:
            raise ValidationError(TIME_UP)
        changed = Answer.objects.filter(sheet_id=sheet_id, position=position).update(response=response, saved_at=now)
    if not changed:
        raise ValidationError(_("没有第 %(n)d 题。") % {"n": position})
    return Saved(position=position, saved_at=now)


def save_answers(*, sheet: AnswerSheet, responses: Mapping[int, str], now: datetime | None = None) -> int:
    """Several answers at once, under the same rules as one (a phone that was offline catching up; the demo)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = AnswerSheet.objects.select_for_update(no_key=True).get(pk=sheet.pk)
        if locked.submitted_at is not None:
            raise ValidationError(_("已经交卷，答案不能再修改。"))
        if now >= locked.due_at:
            raise ValidationError(TIME_UP)
        by_response: dict[str, list[int]] = defaultdict(list)  # few distinct answers: a few UPDATEs
        for position, response in responses.items():
            by_response[response[:MAX_TEXT_ANSWER]].append(position)
        saved = 0
        for response, positions in by_response.items():
            saved += locked.answers.filter(position__in=positions).update(response=response, saved_at=now)
    return saved


def _ids(choices: Sequence[str]) -> list[int]:
    return [int(c) for c in choices if str(c).isdigit()]


@dataclass(frozen=True)
class Submitted:
    sheet: AnswerSheet
    changed: bool  # False: it had been submitted already (a second click, another phone)


def submit_sheet(*, sheet: AnswerSheet, by: Any, auto: bool = False, now: datetime | None = None) -> Submitted:
    """Submit once: objective answers are graded at once; a second submit changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = AnswerSheet.objects.select_for_update().select_related("sitting").get(pk=sheet.pk)
        if locked.submitted_at is not None:
            return Submitted(sheet=locked, changed=False)
        late = now >= locked.due_at
        locked.submitted_at = min(now, locked.due_at) if locked.mode == Mode.ONLINE else now
        locked.auto_submitted = auto or (late and locked.mode == Mode.ONLINE)
        locked.save(update_fields=["submitted_at", "auto_submitted"])
        grade_sheets([locked.pk])
        locked.refresh_from_db(fields=["score", "pending"])
        audit.record(
            actor=by,
            action="exams.sheet_submitted",
            org=locked.sitting.org,
            target=locked,
            data={"person": locked.person_id, "auto": locked.auto_submitted, "score": locked.score},
        )
    return Submitted(sheet=locked, changed=True)


def submit_if_due(sheet: AnswerSheet, now: datetime | None = None) -> bool:
    """Called on every request that touches a sheet: past its time, it is submitted now."""
    now = now or timezone.now()
    if sheet.submitted_at is None and sheet.mode == Mode.ONLINE and now >= sheet.due_at:
        submit_sheet(sheet=sheet, by="system", auto=True, now=now)
        sheet.refresh_from_db()
        return True
    return False


def submit_due_sheets(now: datetime | None = None) -> int:
    """The sweep (manage.py submit_due_sheets, every minute from beat): sheets whose time ran out."""
    now = now or timezone.now()
    due = AnswerSheet.objects.filter(submitted_at__isnull=True, mode=Mode.ONLINE, due_at__lte=now)
    count = 0
    for sheet in due.iterator():
        count += submit_sheet(sheet=sheet, by="system", auto=True, now=now).changed
    return count


def issue_paper_sheet(*, sitting: Sitting, person: Person, by: Any, now: datetime | None = None) -> AnswerSheet:
    """A paper answer sheet for a member without a phone: their own draw, printed, then typed in."""
    return start_sheet(sitting=sitting, person=person, by=by, mode=Mode.PAPER, now=now)


TRUE_MARKS = {"对", "正确", "√", "T", "Y", "是"}
FALSE_MARKS = {"错", "错误", "×", "X", "F", "N", "否"}


def enter_paper_answers(*, sheet: AnswerSheet, entries: Mapping[int, str], by: Any) -> Submitted:
    """The secretary types in what the member wrote: letters as printed ("AC"), 对/错, or the words written.
    Every entry is checked before anything is saved; the sheet is then submitted and graded."""
    if sheet.mode != Mode.PAPER:
        raise ValidationError(_("这是在线答卷，不需要录入。"))
    if sheet.submitted_at is not None:
        return Submitted(sheet=sheet, changed=False)
    answers = list(sheet.answers.select_related("question"))
    problems: list[str] = []
    for answer in answers:
        raw = unicodedata.normalize("NFKC", entries.get(answer.position, "") or "").strip()
        try:
            answer.response = _entered(answer, raw)
        except ValueError:
            problems.append(_("第 %(n)d 题：“%(raw)s”不是本题的选项") % {"n": answer.position, "raw": raw})
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    with transaction.atomic():
        for answer in answers:
            answer.saved_at = now
        Answer.objects.bulk_update(answers, ["response", "saved_at"], batch_size=200)
        AnswerSheet.objects.filter(pk=sheet.pk).update(entered_by=audit.user_of(by))
        return submit_sheet(sheet=sheet, by=by, now=now)


def _entered(answer: Answer, raw: str) -> str:
    question: Question = answer.question
    if question.kind not in CHOICE_KINDS:
        return raw[:MAX_TEXT_ANSWER]
    if not raw:
        return ""
    order = list(answer.option_order)
    if question.kind == Kind.TRUE_FALSE and raw.upper() in TRUE_MARKS | FALSE_MARKS:
        return str(order[0] if raw.upper() in TRUE_MARKS else order[1])
    letters = re.sub(r"[\s,，、]", "", raw.upper())
    positions = [ord(c) - ord("A") for c in letters]
    if any(not 0 <= p < len(order) for p in positions):
        raise ValueError(raw)
    if question.kind != Kind.MULTIPLE and len(positions) > 1:
        raise ValueError(raw)
    return encode_choices(order[p] for p in positions)
