"""Background jobs of the org app (see pingyi.core.jobs)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pingyi.core.jobs import JobContext, job

from .roster.uploads import JOB_NAME, commit_upload


@job(JOB_NAME)
def import_roster_job(ctx: JobContext, *, upload_id: int) -> dict[str, Any]:
    def progress(done: int, total: int) -> None:
        ctx.progress(done, total, _("正在导入第%(done)d/%(total)d行") % {"done": done, "total": total})

    result = commit_upload(upload_id=upload_id, by=ctx.job.created_by, progress=progress)
    ctx.job.message = _("新增%(created)d人，更新%(updated)d人，无变化%(unchanged)d人，跳过%(skipped)d行") % result
    return {**result, "next_url": reverse("org:roster_preview", kwargs={"upload_id": upload_id})}
