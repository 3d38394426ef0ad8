"""Home card: a member's next activity (within a week), with a link to their phone page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pingyi.core.hooks import HomeCard
from pingyi.org.models import person_of

from .selectors import upcoming_for


def cards(user: Any) -> list[HomeCard]:
    me = person_of(user, member_only=True)
    if me is None:
        return []
    soon = [a for a in upcoming_for(me, limit=3) if a.starts_at <= timezone.now() + timedelta(days=7)]
    if not soon:
        return []
    first = soon[0]
    when = date_format(timezone.localtime(first.starts_at), "SHORT_DATETIME_FORMAT")
    detail = _("%(when)s %(place)s") % {"when": when, "place": first.place} if first.place else when
    return [
        HomeCard(
            title=_("学习活动：%(title)s") % {"title": first.title},
            url=reverse("study:mine"),
            detail=detail,
            tone="primary",
        )
    ]
