"""Services for the upload → columns → check → commit flow of a roster, and its fetcher.

The request only stores the file and reads the top of it (the header and a sample of values) to
propose which column holds what; the whole file is read by jobs, the check and then the commit, so a
large or hostile file never holds a web worker (reading.py caps what any of them will read).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core import audit, jobs
from pingyi.core.models import Job
from pingyi.org.models import OrgUnit, RosterLayout, RosterUpload
from pingyi.org.permissions import Cap, require

from .importer import ImportResult, import_roster
from .mapping import IGNORE, Layout, check_mapping, fingerprint, missing_required
from .parsing import RosterFileError, read_layout

JOB_NAME = "org.import_roster"
CHECK_JOB = "org.check_roster"
MAX_BYTES: int = getattr(settings, "PINGYI_ROSTER_MAX_BYTES", 5 * 1024 * 1024)


def get_upload_for_user(user: Any, pk: int) -> RosterUpload:
    upload = get_object_or_404(RosterUpload.objects.select_related("org", "job"), pk=pk)
    require(user, Cap.MANAGE_PEOPLE, upload.org)
    return upload


def remembered_columns(org: OrgUnit) -> Callable[[list[str]], dict[str, str] | None]:
    """The column choice last confirmed at this node for a layout of header, looked up by its fingerprint."""

    def lookup(headers: list[str]) -> dict[str, str] | None:
        layout = RosterLayout.objects.filter(org=org, fingerprint=fingerprint(headers)).first()
        return layout.columns if layout else None

    return lookup


def layout_of_upload(upload: RosterUpload) -> Layout | None:
    """The upload's columns with their sample values (read again from the file: samples are not stored)."""
    if upload.purged_at is not None:
        return None
    layout = read_layout(bytes(upload.content))
    stored = {c["index"]: c for c in upload.mapping.get("columns", [])}
    for column in layout.columns:
        if column.index in stored:
            column.field, column.how, column.note = (
                stored[column.index]["field"],
                stored[column.index]["how"],
                stored[column.index].get("note", ""),
            )
    return layout


@transaction.atomic
def create_upload(*, org: OrgUnit, by: Any, filename: str, content: bytes) -> RosterUpload:
    """Store the file with the proposed column mapping; nothing is checked or written about people yet.

    A file that cannot be a roster (unreadable, expanding past the caps, no header) is refused here,
    before it is stored, with the reason (ValidationError).
    """
    try:
        layout = read_layout(content, remembered_columns(org))
    except RosterFileError as exc:
        raise ValidationError(str(exc)) from exc
    return RosterUpload.objects.create(
        org=org,
        uploaded_by=audit.user_of(by),
        filename=filename[:255],
        content=content,
        mapping=layout.as_dict(),
    )


def may_map(upload: RosterUpload) -> bool:
    if upload.purged_at is not None:
        return False
    return upload.status in (RosterUpload.Status.MAPPING, RosterUpload.Status.CHECKED) or check_failed(upload)


@transaction.atomic
def confirm_columns(*, upload: RosterUpload, by: Any, chosen: Mapping[int, str]) -> RosterUpload:
    """Keep the user's column mapping (and remember it for this layout at this node), then start the check.

    `chosen` maps every column number of the sheet to a field or "" (not imported).
    """
    locked = RosterUpload.objects.select_for_update(of=("self",)).select_related("job").get(pk=upload.pk)
    if not may_map(locked):
        raise ValidationError(_("这份名册已在检查或导入中，不能再修改列的对应关系。"))
    clashes = check_mapping(chosen)
    if clashes:
        raise ValidationError(next(iter(clashes.values())))
    missing = missing_required(chosen)
    if missing:
        message = _("请指定哪一列是“%(fields)s”：按公民身份号码核对人员。") % {"fields": "、".join(missing)}
        raise ValidationError(message)
    columns = locked.mapping.get("columns", [])
    unchanged = all(chosen.get(c["index"], IGNORE) == c["field"] for c in columns)
    if locked.status == RosterUpload.Status.CHECKED and unchanged:
        return locked  # the same columns again (a second click): the check already done stands
    for column in columns:
        field = chosen.get(column["index"], IGNORE)
        if field != column["field"]:
            column["field"], column["how"], column["note"] = field, "user", ""
    locked.mapping = {**locked.mapping, "columns": columns}
    headers = [c["header"] for c in columns]
    remembered = {str(c["index"]): c["field"] for c in columns}
    RosterLayout.objects.update_or_create(
        org=locked.org,
        fingerprint=fingerprint(headers),
        defaults={"headers": headers, "columns": remembered, "updated_by": audit.user_of(by)},
    )
    locked.status, locked.report = RosterUpload.Status.CHECKING, {}
    locked.job = jobs.enqueue(CHECK_JOB, by=by, org=locked.org, upload_id=locked.pk)
    locked.save(update_fields=["mapping", "status", "report", "job"])
    audit.record(
        actor=by,
        action="roster.columns",
        org=locked.org,
        target=locked,
        data={"columns": {c["header"] or c["index"]: c["field"] for c in columns}},
    )
    return locked


def chosen_columns(upload: RosterUpload) -> dict[int, str]:
    return {c["index"]: c["field"] for c in upload.mapping.get("columns", [])}


def check_upload(*, upload_id: int, progress: Any = None) -> dict[str, Any]:
    """Run by the check job: read the whole file with the confirmed columns and keep the report."""
    upload = RosterUpload.objects.select_related("org").get(pk=upload_id)
    if upload.status != RosterUpload.Status.CHECKING:
        return upload.report
    report = import_roster(
        data=bytes(upload.content),
        org=upload.org,
        by=None,
        dry_run=True,
        chosen=chosen_columns(upload),
        read_progress=progress,
    ).as_dict()
    with transaction.atomic():
        locked = RosterUpload.objects.select_for_update(of=("self",)).get(pk=upload_id)
        if locked.status == RosterUpload.Status.CHECKING:
            locked.report, locked.status = report, RosterUpload.Status.CHECKED
            locked.save(update_fields=["report", "status"])
    return report


def can_commit(upload: RosterUpload) -> bool:
    if upload.purged_at is not None:
        return False
    if upload.status == RosterUpload.Status.CHECKED:
        return True
    # A commit whose job crashed rolled back completely, so it may be tried again.
    return (
        upload.status == RosterUpload.Status.QUEUED
        and upload.job is not None
        and upload.job.status == Job.Status.FAILED
    )


def check_failed(upload: RosterUpload) -> bool:
    """A check job that crashed: the columns may be confirmed again, which starts a new check."""
    return (
        upload.status == RosterUpload.Status.CHECKING
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
            data=bytes(upload.content),
            org=upload.org,
            by=by,
            skip_invalid=upload.skip_invalid,
            progress=progress,
            chosen=chosen_columns(upload),
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
