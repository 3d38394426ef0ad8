"""Outreach: the contacts made with a member away or retired (their results describe the person), the plans they
confirmed, the materials handed to them, and the good deeds and liaison visits they took part in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from pingyi.core.personal import ERASED, RetentionRule, rows

from .models import Contact, GoodDeed, Handout, LiaisonVisit, PlanRead


def export(person: Any) -> dict[str, list[dict[str, Any]]]:
    return {
        "contacts": rows(
            Contact.objects.filter(person=person), "contacted_on", "kind", "contacted_by", "result", "remote"
        ),
        "study_plans_read": rows(PlanRead.objects.filter(person=person), "plan__title", "read_at"),
        "materials": rows(Handout.objects.filter(person=person), "material__title", "material__issued_on", "received"),
        "good_deeds": rows(GoodDeed.objects.filter(doers=person), "done_on", "what", "beneficiary"),
        "liaison_visits": rows(LiaisonVisit.objects.filter(people=person), "held_on", "point__name", "kind"),
    }


def anonymise(person: Any) -> dict[str, int]:
    """The contacts stay (the stage counts them); what their results said about the person goes."""
    return {"contact_results": Contact.objects.filter(person=person).exclude(result=ERASED).update(result=ERASED)}


def _clear_old_results(cutoff: dt.datetime) -> int:
    return Contact.objects.filter(contacted_on__lt=cutoff.date()).exclude(result=ERASED).update(result=ERASED)


RETENTION = [
    RetentionRule("outreach.contact_results", _("联系外出、离退休党员的情况记录"), 3 * 365, _clear_old_results)
]
