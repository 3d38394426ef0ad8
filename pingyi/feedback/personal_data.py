"""Written feedback to the person after the evaluation."""

from __future__ import annotations

from typing import Any

from pingyi.core.personal import ERASED, rows

from .models import Feedback


def export(person: Any) -> dict[str, list[dict[str, Any]]]:
    letters = Feedback.objects.filter(person=person).exclude(status="draft")  # drafts are not yet theirs
    return {
        "feedback": rows(
            letters, "campaign__title", "strengths", "problems", "direction", "status", "sent_at", "acknowledged_at"
        )
    }


def files(person: Any) -> list[tuple[str, bytes]]:
    found = []
    for letter in Feedback.objects.filter(person=person).exclude(status="draft").select_related("campaign"):
        body = f"{letter.campaign.title}\n\n{letter.strengths}\n\n{letter.problems}\n\n{letter.direction}\n"
        found.append((f"feedback/{letter.pk}.txt", body.encode()))
    return found


def anonymise(person: Any) -> dict[str, int]:
    """Statuses stay (how many were delivered and acknowledged); the letters' words go."""
    letters = Feedback.objects.filter(person=person)
    return {"feedback": letters.update(strengths=ERASED, problems=ERASED, direction=ERASED, basis=[])}
