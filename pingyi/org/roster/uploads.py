"""Services for the upload → preview → commit flow of a roster, and its fetcher."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core import audit, jobs
from pingyi.core.models import Job
from pingyi.org.models import OrgUnit, RosterUpload
from pingyi.org.permissions import Cap, require

from .importer import ImportResult, import_roster

JOB_NAME = "org.import_roster"
MAX_BYTES: int = getattr(settings, "PINGYI_ROSTER_MAX_BYTES", 5 * 1024 * 1024)


def get_upload_for_user(user: Any, pk: int) -> RosterUpload:
    upload = get_object_or_404(RosterUpload.objects.select_related("org", "job"), pk=pk)
    require(user, Cap.MANAGE_PEOPLE, upload.org)
    return upload


@transaction.atomic
def create_upload(*, org: OrgUnit, by: Any, filename: str, content: bytes) -> RosterUpload:
    """Store the file with its check report; nothing about people is written yet."""
    report = import_roster(data=content, org=org, by=by, dry_run=True)
    return RosterUpload.objects.create(
        org=org,
        uploaded_by=audit.user_of(by),
        filename=filename[:255],
        content=content,
        report=report.as_dict(),
    )


def can_commit(upload: RosterUpload) -> bool:
    if upload.status == RosterUpload.Status.CHECKED:
        return True
    # A commit whose job crashed rolled back completely, so it may be tried again.
    return (
        upload.status == RosterUpload.Status.QUEUED
        and upload.job is not None
        and upload.job.status == Job.Status.FAILED
    )


@transaction.atomic
def queue_commit(*, upload: RosterUpload, by: Any, skip_invalid: bool) -> tuple[RosterUpload, bool]:
    """Start the import job once. Returns (upload, started); a second submit finds it taken and starts nothing."""
    locked = RosterUpload.objects.select_for_update(of=("self",)).select_related("job").get(pk=upload.pk)
    if not can_commit(locked):
        return locked, False
    if locked.error_count and not skip_invalid:
        raise ValidationError(_("名册中还有错误行：请修改后重新上传，或勾选“跳过错误行”"))
    locked.status = RosterUpload.Status.QUEUED
    locked.skip_invalid = skip_invalid
    locked.job = jobs.enqueue(JOB_NAME, by=by, org=locked.org, upload_id=locked.pk)
    locked.save(update_fields=["status", "skip_invalid", "job"])
    return locked, True


def commit_upload(*, upload_id: int, by: Any, progress: Any = None) -> dict[str, Any]:
    """Run by the job: the people and the upload's state change in one transaction, or not at all."""
    with transaction.atomic():
        upload = RosterUpload.objects.select_for_update(of=("self",)).select_related("org").get(pk=upload_id)
        if upload.status != RosterUpload.Status.QUEUED:
            return upload.result or ImportResult().as_dict()
        result = import_roster(
            data=bytes(upload.content), org=upload.org, by=by, skip_invalid=upload.skip_invalid, progress=progress
        )
        upload.result = result.as_dict()
        if result.errors and not upload.skip_invalid:
            # The tree changed since the check (e.g. an ID got registered elsewhere): show the new errors.
            upload.status = RosterUpload.Status.CHECKED
            upload.report = upload.result
        else:
            upload.status = RosterUpload.Status.COMMITTED
            upload.committed_at = timezone.now()
        upload.save(update_fields=["result", "status", "report", "committed_at"])
        return upload.result
