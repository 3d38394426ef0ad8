"""Reminders the day before an activity, to the people it asks for who have a login.

One notice a person a day (the outbox's rule): someone with two activities tomorrow gets one notice naming
both. Run once a day (`manage.py study_reminders`, or the beat schedule); a second run the same day sends
nothing new.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pingyi.core import audit
from pingyi.core.notifications import notify

from .models import Activity
from .notice_kinds import REMINDER
from .selectors import required_people


@dataclass(frozen=True)
class Sent:
    activities: int
    queued: int  # notices queued; those already reminded today are not counted again


@transaction.atomic
def send_reminders(*, day: date | None = None, by: Any = "study_reminders") -> Sent:
    day = day or timezone.localdate()
    first = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    tomorrow = list(
        Activity.objects.filter(starts_at__gte=first, starts_at__lt=first + timedelta(days=1))
        .select_related("org", "kind", "group")
        .order_by("starts_at")
    )
    wanted: dict[int, list[Activity]] = defaultdict(list)
    for activity in tomorrow:
        for user_id in required_people(activity).exclude(user=None).values_list("user_id", flat=True):
            wanted[user_id].append(activity)
    by_set: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for user_id, activities in wanted.items():
        by_set[tuple(a.pk for a in activities)].append(user_id)
    found = {a.pk: a for a in tomorrow}
    queued = 0
    for ids, users in by_set.items():
        activities = [found[pk] for pk in ids]
        queued += notify(users=users, kind=REMINDER, day=day, **_notice(activities))
    if tomorrow:
        audit.record(
            actor=by,
            action="study.reminded",
            data={"day": day.isoformat(), "activities": len(tomorrow), "queued": queued},
        )
    return Sent(activities=len(tomorrow), queued=queued)


def _notice(activities: list[Activity]) -> dict[str, str]:
    first = activities[0]
    lines = [
        f"{date_format(timezone.localtime(a.starts_at), 'SHORT_DATETIME_FORMAT')} {a.title}"
        + (f"（{a.place}）" if a.place else "")
        for a in activities
    ]
    if len(activities) == 1:
        title = _("明天有学习活动：%(title)s") % {"title": first.title}
        url = reverse("study:activity", kwargs={"activity_id": first.pk})
    else:
        title = _("明天有 %(n)d 项学习活动") % {"n": len(activities)}
        url = reverse("study:mine")
    return {"title": title, "body": "\n".join(lines), "url": url}
