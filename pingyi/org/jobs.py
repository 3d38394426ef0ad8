"""Background jobs of the org app (see pingyi.core.jobs)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pingyi.core.jobs import JobContext, job

from .roster.uploads import CHECK_JOB, JOB_NAME, check_upload, commit_upload


@job(CHECK_JOB)
def check_roster_job(ctx: JobContext, *, upload_id: int) -> dict[str, Any]:
    def progress(rows: int) -> None:
        # The row count is unknown until the end of the sheet: show what has been read.
        ctx.progress(rows, rows + 1000, _("已读取%(rows)d行") % {"rows": rows})

    report = check_upload(upload_id=upload_id, progress=progress)
    ctx.job.message = _("共%(total)d行，%(error_rows)d行有错误") % {
        "total": report.get("total", 0),
        "error_rows": report.get("error_rows", 0),
    }
    return {
        "total": report.get("total", 0),
        "error_rows": report.get("error_rows", 0),
        "next_url": reverse("org:roster_preview", kwargs={"upload_id": upload_id}),
    }


@job(JOB_NAME)
def import_roster_job(ctx: JobContext, *, upload_id: int) -> dict[str, Any]:
    def progress(done: int, total: int) -> None:
        ctx.progress(done, total, _("正在导入第%(done)d/%(total)d行") % {"done": done, "total": total})

    result = commit_upload(upload_id=upload_id, by=ctx.job.created_by, progress=progress)
    ctx.job.message = _("新增%(created)d人，更新%(updated)d人，无变化%(unchanged)d人，跳过%(skipped)d行") % result
    counts = {k: result[k] for k in ("total", "created", "updated", "unchanged", "skipped", "error_rows")}
    return {**counts, "next_url": reverse("org:roster_preview", kwargs={"upload_id": upload_id})}
