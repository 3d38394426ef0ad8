"""Background jobs of the originality app (see pingyi.core.jobs)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pingyi.core.jobs import JobContext, job

from . import services
from .library import read_library_file
from .models import CorpusDocument, LibraryUpload


@job(services.CHECK_JOB)
def check_job(ctx: JobContext, *, document_id: int) -> dict[str, Any]:
    ctx.progress(0, 1, _("正在检测复制比"))
    document = CorpusDocument.objects.select_related("org", "campaign__org").get(pk=document_id)
    report = services.check_document(document=document, job=ctx.job)
    ctx.progress(1, 1, _("总复制比%(percent).1f%%") % {"percent": report.copied_percent})
    return {"report_id": report.pk, "next_url": reverse("originality:report", kwargs={"report_id": report.pk})}


@job(services.IMPORT_JOB)
def import_job(ctx: JobContext, *, upload_id: int) -> dict[str, Any]:
    """Import the upload, then re-check every writing against the larger library."""
    upload = LibraryUpload.objects.select_related("org").get(pk=upload_id)
    ctx.progress(0, 1, _("正在读取文件"))
    items = read_library_file(upload.filename, bytes(upload.data), title=upload.title, source_url=upload.source_url)
    result = services.import_library(items=items, org=upload.org, by=ctx.job.created_by)
    upload.delete()

    def progress(done: int, total: int) -> None:
        ctx.progress(
            done,
            total,
            _("已导入%(added)d篇；正在重新检测文稿 %(done)d/%(total)d")
            % {
                "added": result.added,
                "done": done,
                "total": total,
            },
        )

    checked = services.recheck_writings(by=ctx.job.created_by, progress=progress)
    ctx.job.message = _("导入%(added)d篇，跳过重复%(duplicates)d篇，重新检测文稿%(checked)d篇") % {
        "added": result.added,
        "duplicates": result.duplicates,
        "checked": checked,
    }
    return {
        "added": result.added,
        "duplicates": result.duplicates,
        "checked": checked,
        "next_url": reverse("originality:library", kwargs={"org_code": upload.org.code}),
    }


@job(services.RECHECK_JOB)
def recheck_job(ctx: JobContext) -> dict[str, Any]:
    def progress(done: int, total: int) -> None:
        ctx.progress(done, total, _("正在重新检测文稿 %(done)d/%(total)d") % {"done": done, "total": total})

    checked = services.recheck_writings(by=ctx.job.created_by, progress=progress)
    ctx.job.message = _("重新检测文稿%(checked)d篇") % {"checked": checked}
    code = ctx.job.org.code if ctx.job.org else ""
    return {"checked": checked, "next_url": reverse("originality:library", kwargs={"org_code": code}) if code else ""}
