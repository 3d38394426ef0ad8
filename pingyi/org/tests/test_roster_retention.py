"""Uploaded rosters keep their personal data only for the retention period (issue 17, item 8)."""

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import World
from pingyi.core.models import AuditEntry
from pingyi.org.models import Person, RosterUpload
from pingyi.org.roster import uploads
from pingyi.org.roster.retention import purge_roster_uploads
from pingyi.org.tests.sheets import make_id, member_row, xlsx

pytestmark = pytest.mark.django_db


def _upload(world: World, rows: list[list[Any]], capture: Any, *, commit: bool) -> RosterUpload:
    upload = uploads.create_upload(
        org=world.orgs["branch"], by=world.users["secretary"], filename="名册.xlsx", content=xlsx(rows)
    )
    with capture(execute=True):
        uploads.confirm_columns(upload=upload, by=world.users["secretary"], chosen=uploads.chosen_columns(upload))
    upload.refresh_from_db()
    if commit:
        with capture(execute=True):
            uploads.queue_commit(upload=upload, by=world.users["secretary"], skip_invalid=True)
        upload.refresh_from_db()
    return upload


def _age(upload: RosterUpload, days: int) -> None:
    then = timezone.now() - timedelta(days=days)
    RosterUpload.objects.filter(pk=upload.pk).update(
        uploaded_at=then, committed_at=then if upload.committed_at else None
    )


def test_files_and_row_errors_go_after_the_period_counts_and_people_stay(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    rows = [member_row(0), member_row(1, birth="1999-01-01")]
    old = _upload(world, rows, django_capture_on_commit_callbacks, commit=True)
    recent = _upload(world, [member_row(2)], django_capture_on_commit_callbacks, commit=True)
    abandoned = _upload(world, rows, django_capture_on_commit_callbacks, commit=False)
    assert old.status == "committed" and old.result["errors"] and abandoned.report["errors"]
    _age(old, 31)
    _age(recent, 29)
    _age(abandoned, 31)

    purged = purge_roster_uploads(by=None)

    assert purged.uploads == 2
    old.refresh_from_db()
    assert bytes(old.content) == b"" and old.purged_at is not None
    assert "errors" not in old.report and "errors" not in old.result
    assert (old.result["created"], old.result["skipped"], old.result["error_rows"]) == (1, 1, 1)
    assert old.mapping["columns"]  # which column held what is not personal data
    abandoned.refresh_from_db()
    assert bytes(abandoned.content) == b"" and "errors" not in abandoned.report
    recent.refresh_from_db()
    assert bytes(recent.content) and recent.purged_at is None
    assert Person.objects.filter(id_number__in=[make_id(0), make_id(2)]).count() == 2
    assert old.job is not None and "errors" not in old.job.result
    entry = AuditEntry.objects.get(action="roster.purged")
    assert sorted(entry.data["uploads"]) == sorted([old.pk, abandoned.pk])
    # Applying the rule again finds nothing more.
    assert purge_roster_uploads(by=None).uploads == 0


def test_a_commit_under_way_is_left_alone(world: World, django_capture_on_commit_callbacks: Any) -> None:
    upload = _upload(world, [member_row(0)], django_capture_on_commit_callbacks, commit=False)
    RosterUpload.objects.filter(pk=upload.pk).update(status=RosterUpload.Status.QUEUED)
    _age(upload, 90)
    assert purge_roster_uploads(by=None).uploads == 0


def test_a_purged_upload_says_so_and_cannot_be_committed_or_remapped(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    upload = _upload(world, [member_row(0)], django_capture_on_commit_callbacks, commit=False)
    _age(upload, 40)
    purge_roster_uploads(by=None)
    upload.refresh_from_db()
    assert not uploads.can_commit(upload) and not uploads.may_map(upload)
    html = world.client("secretary").get(reverse("org:roster_preview", kwargs={"upload_id": upload.pk})).content
    assert "按保存期限，上传的文件和逐行检查结果已于" in html.decode()
    assert 'data-testid="commit"' not in html.decode()


def test_command_applies_the_rule_and_its_dry_run_lists_only(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    upload = _upload(world, [member_row(0)], django_capture_on_commit_callbacks, commit=True)
    _age(upload, 10)
    out = io.StringIO()
    call_command("purge_roster_uploads", "--days", "7", "--dry-run", stdout=out)
    assert f"{upload.pk}\tBRANCH" in out.getvalue()
    upload.refresh_from_db()
    assert upload.purged_at is None
    out = io.StringIO()
    call_command("purge_roster_uploads", "--days", "7", stdout=out)
    assert "已删除 1 份名册文件" in out.getvalue()
    upload.refresh_from_db()
    assert upload.purged_at is not None
