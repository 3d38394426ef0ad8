"""Rectification items the person owns. They are the branch's record of its work, so they stay."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from pingyi.core.personal import rows

from .models import OPEN_STATES, RectificationItem


def export(person: Any) -> dict[str, list[dict[str, Any]]]:
    items = RectificationItem.objects.filter(Q(owner=person) | Q(suggested_owner=person)).distinct()
    return {"rectification_items": rows(items, "title", "detail", "measures", "due_on", "status", "report")}


def blockers(person: Any) -> list[str]:
    open_items = RectificationItem.objects.filter(owner=person, status__in=OPEN_STATES).count()
    if open_items:
        return [_("负责的 %(n)d 项整改事项尚未完成：请先改由他人负责或完成核实。") % {"n": open_items}]
    return []


def anonymise(person: Any) -> dict[str, int]:
    """The items stay with the anonymised owner (what was fixed is the branch's record); suggestions go."""
    return {"suggested_owner": RectificationItem.objects.filter(suggested_owner=person).update(suggested_owner=None)}
