"""Study: the person's attendance marks, leave reasons and make-up study."""

from __future__ import annotations

from typing import Any

from pingyi.core.personal import ERASED, rows

from .models import Attendance, MakeUp


def export(person: Any) -> dict[str, list[dict[str, Any]]]:
    marks = Attendance.objects.filter(person=person)
    return {
        "study_attendance": rows(marks, "activity__title", "activity__starts_at", "status", "reason", "source"),
        "study_makeups": rows(
            MakeUp.objects.filter(attendance__in=marks), "attendance__activity__title", "what", "studied_on", "note"
        ),
        "study_lectures_given": rows(person.lectures.all(), "title", "starts_at"),
    }


def anonymise(person: Any) -> dict[str, int]:
    """The marks stay (person-times and make-up counts hold); the person's own words go: leave reasons,
    what they studied and the notes on it."""
    marks = Attendance.objects.filter(person=person)
    return {
        "study_leave_reasons": marks.exclude(reason="").update(reason=ERASED),
        "study_makeups": MakeUp.objects.filter(attendance__in=marks).update(what=ERASED, note=""),
    }
