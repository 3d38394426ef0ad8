"""Excusals: who is not held to a work item, and why (the reason may concern health)."""

from __future__ import annotations

from typing import Any

from pingyi.core.personal import ERASED, rows

from .models import Excusal


def export(person: Any) -> dict[str, list[dict[str, Any]]]:
    excusals = Excusal.objects.filter(person=person)
    return {"excusals": rows(excusals, "campaign__title", "work_item__name", "reason")}


def anonymise(person: Any) -> dict[str, int]:
    return {"excusals": Excusal.objects.filter(person=person).exclude(reason=ERASED).update(reason=ERASED)}
