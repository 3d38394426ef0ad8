"""Grading: objective answers at once (in batches, for regrading a whole sitting), short answers by hand."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from pingyi.core import audit

from ..grading import grade, normalise
from ..models import Answer, AnswerSheet, Kind, Question

CHUNK = 5000
Graded = tuple[int | None, bool | None]


def grade_sheets(sheet_ids: Iterable[int]) -> int:
    """Grade the objective answers of these submitted sheets and total each sheet; returns answers graded.

    Hand-given points of short answers are kept. Rows are written grouped by their result, so grading
    2,000 papers is a handful of UPDATEs rather than 200,000.
    """
    ids = list(sheet_ids)
    rows = list(
        Answer.objects.filter(sheet_id__in=ids).values_list(
            "id", "sheet_id", "question_id", "response", "max_points", "points", "is_correct"
        )
    )
    graders = {
        q["id"]: _grader(q["kind"], q["options"], q["accepted"])
        for q in Question.objects.filter(pk__in={r[2] for r in rows}).values("id", "kind", "options", "accepted")
    }
    groups: dict[Graded, list[int]] = defaultdict(list)
    totals: dict[int, list[int]] = {pk: [0, 0] for pk in ids}  # sheet -> [score, pending]
    for pk, sheet_id, question_id, response, max_points, points, is_correct in rows:
        kind, grade_one = graders[question_id]
        new_points: int | None
        new_correct: bool | None
        if kind == Kind.SHORT and points is not None and response.strip():
            new_points, new_correct = points, is_correct  # a grader's mark stands
        else:
            new_points, new_correct = grade_one(response, max_points)
        if (new_points, new_correct) != (points, is_correct):
            groups[(new_points, new_correct)].append(pk)
        if new_points is None:
            totals[sheet_id][1] += 1
        else:
            totals[sheet_id][0] += new_points
    with transaction.atomic():
        _write(groups)
        by_total: dict[tuple[int, int], list[int]] = defaultdict(list)
        for sheet_id, (score, pending) in totals.items():
            by_total[(score, pending)].append(sheet_id)
        for (score, pending), sheet_ids_ in by_total.items():
            AnswerSheet.objects.filter(pk__in=sheet_ids_).update(score=score, pending=pending)
    return len(rows)


def _write(groups: dict[Graded, list[int]]) -> None:
    """On PostgreSQL one UPDATE joined to the new values (a quarter of the time of the IN lists below)."""
    if connection.vendor == "postgresql":
        rows = [(pk, points, correct) for (points, correct), pks in groups.items() for pk in pks]
        for start in range(0, len(rows), 50_000):
            chunk = rows[start : start + 50_000]
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE exams_answer AS a SET points = v.points, is_correct = v.correct"
                    " FROM unnest(%s::bigint[], %s::int[], %s::bool[]) AS v(id, points, correct) WHERE a.id = v.id",
                    [[r[0] for r in chunk], [r[1] for r in chunk], [r[2] for r in chunk]],
                )
        return
    for (points, correct), answer_ids in groups.items():
        for start in range(0, len(answer_ids), CHUNK):
            Answer.objects.filter(pk__in=answer_ids[start : start + CHUNK]).update(points=points, is_correct=correct)


def _grader(kind: str, options: list[dict], accepted: list[str]) -> tuple[str, Callable[[str, int], Graded]]:
    """The question's key read once, for the thousands of answers a batch grades against it."""
    correct_ids = [o["id"] for o in options if o.get("correct")]
    if kind == Kind.FILL:
        forms = {normalise(a) for a in accepted} - {""}

        def fill(response: str, points: int) -> Graded:
            ok = normalise(response) in forms
            return (points if ok else 0), ok

        return kind, fill
    return kind, lambda response, points: grade(kind, response, correct_ids=correct_ids, accepted=(), points=points)


@transaction.atomic
def grade_short_answer(*, answer: Answer, points: int, comment: str, by: Any) -> Answer:
    """A grader's score and comment on a short answer, against the reference; the sheet's total follows."""
    sheet = AnswerSheet.objects.select_for_update().select_related("sitting").get(pk=answer.sheet_id)
    answer = Answer.objects.select_related("question").get(pk=answer.pk)
    if answer.question.kind != Kind.SHORT:
        raise ValidationError(_("只有简答题需要人工评分。"))
    if sheet.submitted_at is None:
        raise ValidationError(_("这份答卷还没有交卷。"))
    if not 0 <= points <= answer.max_points:
        raise ValidationError(_("得分应在 0 到 %(n)d 分之间。") % {"n": answer.max_points})
    answer.points, answer.comment = points, comment.strip()[:300]
    answer.is_correct = points == answer.max_points
    answer.graded_by = audit.user_of(by)
    answer.save(update_fields=["points", "comment", "is_correct", "graded_by"])
    grade_sheets([sheet.pk])
    audit.record(
        actor=by,
        action="exams.answer_graded",
        org=sheet.sitting.org,
        target=answer,
        data={"sheet": sheet.pk, "position": answer.position, "points": points},
    )
    return answer
