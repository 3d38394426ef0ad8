"""The test: a person's answer sheets and what they wrote. Scores stay when a person is anonymised
(they are counted in the stage summary); the words they wrote go."""

from __future__ import annotations

from typing import Any

from pingyi.core.personal import ERASED, rows

from .models import TEXT_KINDS, Answer, AnswerSheet, MakeupSeat


def export(person: Any) -> dict[str, list[dict[str, Any]]]:
    sheets = AnswerSheet.objects.filter(person=person)
    return {
        "exam_sheets": rows(sheets, "id", "sitting__title", "mode", "started_at", "submitted_at", "score"),
        "exam_answers": rows(
            Answer.objects.filter(sheet__in=sheets).order_by("sheet_id", "position"),
            "sheet_id",
            "position",
            "question__text",
            "response",
            "points",
            "comment",
        ),
        "exam_makeup_reasons": rows(MakeupSeat.objects.filter(person=person), "sitting__title", "reason"),
    }


def anonymise(person: Any) -> dict[str, int]:
    written = Answer.objects.filter(sheet__person=person, question__kind__in=TEXT_KINDS).exclude(response="")
    return {
        "exam_written_answers": Answer.objects.filter(pk__in=written.values("pk")).update(response=ERASED, comment=""),
        "exam_makeup_reasons": MakeupSeat.objects.filter(person=person).update(reason=ERASED),
    }
