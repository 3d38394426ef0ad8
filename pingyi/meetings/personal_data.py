"""Life meetings: attendance, what the person said, the criticism they received and their commitments."""

from __future__ import annotations

from typing import Any

from pingyi.core.personal import ERASED, rows

from .models import Attendee, Commitment, Criticism


def export(person: Any) -> dict[str, list[dict[str, Any]]]:
    attendees = Attendee.objects.filter(person=person)
    return {
        "meeting_attendance": rows(
            attendees, "meeting__theme", "meeting__held_on", "present", "absence_reason", "self_criticism", "response"
        ),
        "criticisms_received": rows(
            Criticism.objects.filter(attendee__in=attendees), "attendee__meeting__theme", "text"
        ),
        "commitments": rows(
            Commitment.objects.filter(attendee__in=attendees), "attendee__meeting__theme", "text", "due_on"
        ),
    }


def anonymise(person: Any) -> dict[str, int]:
    """Attendance stays (who was present counts); what was said by and about the person goes."""
    attendees = Attendee.objects.filter(person=person)
    return {
        "meeting_attendance": attendees.update(absence_reason="", self_criticism="", response=""),
        "criticisms_received": Criticism.objects.filter(attendee__in=attendees).update(text=ERASED),
        "criticisms_given": Criticism.objects.filter(critic=person).update(critic=None),
        "commitments": Commitment.objects.filter(attendee__in=attendees).update(text=ERASED),
    }
