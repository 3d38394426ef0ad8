"""The kernel's own personal data: finished background jobs keep their parameters and messages (names,
file names, tracebacks) only for a while; notices sent to a person (their inbox and what they muted)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import Job, Mute, Notification
from .personal import RetentionRule, rows


def _delete_old_jobs(cutoff: dt.datetime) -> int:
    old = Job.objects.filter(status__in=[Job.Status.DONE, Job.Status.FAILED], finished_at__lt=cutoff)
    return old.delete()[0]


def _delete_old_notices(cutoff: dt.datetime) -> int:
    return Notification.objects.filter(created__lt=cutoff).delete()[0]


RETENTION = [
    RetentionRule("core.jobs", _("已结束的后台任务记录"), 180, _delete_old_jobs),
    RetentionRule("core.notifications", _("发给个人的通知"), 365, _delete_old_notices),
]


def export(person: Any) -> dict[str, list[dict]]:
    """The notices a person's login received and the kinds they muted (the kernel knows logins, not people)."""
    if not person.user_id:
        return {}
    notices = Notification.objects.filter(recipient_id=person.user_id).order_by("created")
    return {
        "notifications": rows(notices, "kind", "day", "title", "body", "url", "created", "read_at"),
        "notification_mutes": rows(Mute.objects.filter(user_id=person.user_id), "kind"),
    }


def anonymise(person: Any) -> dict[str, int]:
    """Notices are counted nowhere: they go with the person's identity."""
    if not person.user_id:
        return {}
    return {"notifications": Notification.objects.filter(recipient_id=person.user_id).delete()[0]}
