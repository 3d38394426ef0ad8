"""The kernel's own personal data: finished background jobs keep their parameters and messages (names,
file names, tracebacks) only for a while."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from .models import Job
from .personal import RetentionRule


def _delete_old_jobs(cutoff: dt.datetime) -> int:
    old = Job.objects.filter(status__in=[Job.Status.DONE, Job.Status.FAILED], finished_at__lt=cutoff)
    return old.delete()[0]


RETENTION = [RetentionRule("core.jobs", _("已结束的后台任务记录"), 180, _delete_old_jobs)]
