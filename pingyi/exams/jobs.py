"""Background jobs of the test (pingyi.core.jobs)."""

from typing import Any

from django.utils.translation import gettext as _

from pingyi.core.jobs import JobContext, job

from . import services
from .models import QuestionBank


@job("exams.submit_due")
def submit_due_job(ctx: JobContext) -> dict[str, Any]:
    count = services.submit_due_sheets()
    ctx.job.message = _("自动交卷 %(n)d 份") % {"n": count}
    return {"submitted": count}


@job("exams.import_questions")
def import_questions_job(ctx: JobContext, *, bank_id: int, path: str, fmt: str = "") -> dict[str, Any]:
    """A large file from `manage.py import_questions --background`: all of it or none, with progress."""
    bank = QuestionBank.objects.get(pk=bank_id)
    with open(path, "rb") as handle:
        data = handle.read()

    def progress(done: int, total: int) -> None:
        ctx.progress(done, total, _("已导入 %(done)d/%(total)d") % {"done": done, "total": total})

    result = services.import_questions(
        bank=bank, data=data, filename=path, fmt=fmt, by=ctx.job.created_by, progress=progress
    )
    ctx.job.message = _("已导入 %(n)d 道题") % {"n": result.created}
    return {"created": result.created}
