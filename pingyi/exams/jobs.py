"""Background jobs of the test (pingyi.core.jobs)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pingyi.core.jobs import JobContext, job

from . import services


@job("exams.submit_due")
def submit_due_job(ctx: JobContext) -> dict[str, Any]:
    count = services.submit_due_sheets()
    ctx.job.message = _("自动交卷 %(n)d 份") % {"n": count}
    return {"submitted": count}


@job(services.banks.IMPORT_JOB)
def import_questions_job(ctx: JobContext, *, upload_id: int) -> dict[str, Any]:
    """A large question file: all of it or none, with progress; the import page shows the outcome."""

    def progress(done: int, total: int) -> None:
        ctx.progress(done, total, _("已导入 %(done)d/%(total)d") % {"done": done, "total": total})

    upload = services.run_upload(upload_id=upload_id, progress=progress)
    if upload.problems:
        ctx.job.message = _("文件有 %(n)d 处问题，没有导入") % {"n": len(upload.problems)}
    else:
        ctx.job.message = _("已导入 %(n)d 道题") % {"n": upload.created}
    next_url = reverse("exams:bank_import", kwargs={"bank_id": upload.bank_id}) + f"?upload={upload.pk}"
    return {"created": upload.created or 0, "problems": len(upload.problems), "next_url": next_url}
