"""Background work of the reports app: bringing a subtree's kept counts up to date."""

from __future__ import annotations

from typing import Any

from pingyi.core.jobs import JobContext, enqueue, job
from pingyi.core.models import Job
from pingyi.org.models import OrgUnit

from .tallies import needs_recount, recount_dates, refresh_stale

REFRESH_JOB = "reports.refresh"


def request_refresh(root: OrgUnit, *, by: Any) -> Job | None:
    """Bring a subtree's stale counts up to date in the background, one job per subtree at a time;
    the running job, if any, so the page can show its progress."""
    pending = [Job.Status.QUEUED, Job.Status.RUNNING]
    running = Job.objects.filter(name=REFRESH_JOB, params__org_id=root.pk, status__in=pending).first()
    if running or not needs_recount(root):
        return running
    return enqueue(REFRESH_JOB, by=by, org=root, org_id=root.pk)


@job(REFRESH_JOB)
def refresh(ctx: JobContext, *, org_id: int) -> dict[str, Any]:
    root = OrgUnit.objects.get(pk=org_id)
    moved = recount_dates()
    counted = refresh_stale(root, on_each=lambda done, total: ctx.progress(done, total, ""))
    return {"recounted": counted, "moved_to_today": moved}
