"""Background jobs of the opinions app (see pingyi.core.jobs)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pingyi.core.jobs import JobContext, job

from .services import LETTERS_JOB
from .solicitation_letters import build_batch


@job(LETTERS_JOB)
def build_letters_job(ctx: JobContext, *, batch_id: int) -> dict[str, Any]:
    def progress(done: int, total: int) -> None:
        ctx.progress(done, total, _("正在生成第%(done)d/%(total)d份") % {"done": done, "total": total})

    count = build_batch(batch_id, progress)
    ctx.job.message = _("已生成%(count)d份文书") % {"count": count}
    return {"count": count, "next_url": reverse("opinions:batch_download", kwargs={"letter_batch_id": batch_id})}
