"""How long an uploaded roster keeps its personal data, and the purge that applies it.

An upload holds a whole roster (names, ID numbers, phones) and its check report quotes the bad cells.
Both are needed while the import is prepared and shortly after (to see what was imported, to re-run a
failed commit); after PINGYI_ROSTER_RETENTION_DAYS (30 by default) from the commit, or from the upload
for one never committed, the file and the row errors are erased. The upload's row stays as the record
of the import: who, when, which file name, which columns, and the counts. The imported people are the
organisation's records and are not touched. `python manage.py purge_roster_uploads` applies the rule
(daily from cron or the scheduler, docs/deploy.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from pingyi.core import audit
from pingyi.core.models import Job
from pingyi.org.models import RosterUpload

from .uploads import CHECK_JOB, JOB_NAME

PERSONAL_KEYS = ("errors",)  # what a report or a result holds about rows; the counts are not personal


def retention_days() -> int:
    return int(getattr(settings, "PINGYI_ROSTER_RETENTION_DAYS", 30))


def due(now: datetime | None = None, days: int | None = None) -> QuerySet[RosterUpload]:
    """Uploads whose file and row errors are past their retention period (a commit under way is left alone)."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days() if days is None else days)
    committed = Q(status=RosterUpload.Status.COMMITTED, committed_at__lt=cutoff)
    abandoned = ~Q(status__in=[RosterUpload.Status.COMMITTED, RosterUpload.Status.QUEUED]) & Q(uploaded_at__lt=cutoff)
    stalled = Q(status=RosterUpload.Status.QUEUED, uploaded_at__lt=cutoff, job__status=Job.Status.FAILED)
    return RosterUpload.objects.filter(committed | abandoned | stalled, purged_at__isnull=True)


@dataclass(frozen=True)
class Purged:
    uploads: int
    bytes: int


def _without_rows(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k not in PERSONAL_KEYS}


@transaction.atomic
def purge_roster_uploads(*, by: Any, now: datetime | None = None, days: int | None = None) -> Purged:
    """Erase the files and row errors of every upload past its retention period; one audit entry for the run."""
    now = now or timezone.now()
    days = retention_days() if days is None else days
    uploads = list(due(now, days).select_for_update(of=("self",)))
    erased = 0
    for upload in uploads:
        erased += len(upload.content or b"")
        upload.content = b""
        upload.report = _without_rows(upload.report)
        upload.result = _without_rows(upload.result)
        upload.purged_at = now
        upload.save(update_fields=["content", "report", "result", "purged_at"])
        for job in Job.objects.filter(name__in=[JOB_NAME, CHECK_JOB], params__upload_id=upload.pk):
            if any(key in job.result for key in PERSONAL_KEYS):
                job.result = _without_rows(job.result)
                job.save(update_fields=["result"])
    if uploads:
        audit.record(
            actor=by,
            action="roster.purged",
            target="org.rosterupload",
            data={"uploads": [u.pk for u in uploads], "bytes": erased, "days": days},
        )
    return Purged(uploads=len(uploads), bytes=erased)
