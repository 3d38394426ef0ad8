"""Letters: one background job makes one document per addressee, with progress."""

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document as read_docx

from conftest import World
from pingyi.core.jobs import run_job
from pingyi.core.models import Job
from pingyi.opinions import codes, services
from pingyi.opinions.models import AccessCode, Channel, LetterBatch, OpinionRound

pytestmark = pytest.mark.django_db


def docx_text(data: bytes) -> str:
    doc = read_docx(io.BytesIO(data))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_a_run_for_200_addressees_gives_200_letters_in_one_job(
    world: World, round_: OpinionRound, django_capture_on_commit_callbacks: Any
) -> None:
    entries = [services.InviteeEntry(name=f"用人单位{i:03d}", contact=f"联系人{i}") for i in range(200)]
    services.add_invitees(round=round_, entries=entries, by=None)
    with django_capture_on_commit_callbacks(execute=False):
        batch = services.start_letter_run(round=round_, by=world.users["secretary"], base_url="https://pingyi.test/")
    assert Job.objects.count() == 1
    seen: list[tuple[int, int]] = []
    job = run_job(batch.job_id, on_progress=lambda j: seen.append((j.done, j.total)))
    assert job.status == Job.Status.DONE, job.message
    assert (job.done, job.total) == (200, 200)
    assert seen[0] == (1, 200) and seen[-1] == (200, 200) and len(seen) == 200
    batch.refresh_from_db()
    archive = zipfile.ZipFile(io.BytesIO(bytes(batch.content)))
    names = archive.namelist()
    assert batch.count == len(names) == 200
    first = docx_text(archive.read(names[0]))
    assert "用人单位000" in first and "征求意见函" in first and "征求意见表" in first
    # Each letter carries its own one-time code; only the hash is stored, and it works once.
    assert AccessCode.objects.filter(kind=AccessCode.Kind.ONE_TIME).count() == 200
    code = first.split("邀请码：")[1][:9]
    access = AccessCode.objects.get(code_hash=codes.hash_code(code))
    assert access.invitee is not None and access.invitee.name == "用人单位000"
    assert f"https://pingyi.test/opinions/p/{round_.public_key}/?code={code}" in first
    result = services.submit_public_opinion(round=round_, text="意见", code=code, address="1.1.1.1")
    assert result.opinion.source_name == "用人单位000"


def test_running_a_finished_job_again_changes_nothing(
    world: World, round_: OpinionRound, django_capture_on_commit_callbacks: Any
) -> None:
    services.add_invitees(round=round_, entries=[services.InviteeEntry(name="区人事局")], by=None)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.start_letter_run(round=round_, by=None, base_url="http://x/")
    batch.refresh_from_db()
    content = bytes(batch.content)
    run_job(batch.job_id)
    batch.refresh_from_db()
    assert bytes(batch.content) == content and AccessCode.objects.count() == 1


def test_no_addressees_no_run(round_: OpinionRound) -> None:
    with pytest.raises(ValidationError, match="还没有征求对象"):
        services.start_letter_run(round=round_, by=None, base_url="http://x/")
    assert not LetterBatch.objects.exists()


def test_a_failing_run_leaves_no_codes_and_no_file(
    world: World, round_: OpinionRound, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.add_invitees(round=round_, entries=[services.InviteeEntry(name=f"单位{i}") for i in range(3)], by=None)
    from pingyi.opinions import solicitation_letters as letters

    real = letters.letter

    def third_fails(*args: Any, **kwargs: Any) -> Any:
        if args[1].name == "单位2":
            raise RuntimeError("printer on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(letters, "letter", third_fails)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.start_letter_run(round=round_, by=None, base_url="http://x/")
    batch.refresh_from_db()
    assert batch.job is not None and batch.job.status == Job.Status.FAILED
    assert batch.content is None and not AccessCode.objects.exists()


def test_units_that_gave_opinions_are_invited_to_a_followup(
    world: World, round_: OpinionRound, django_capture_on_commit_callbacks: Any
) -> None:
    entries = [services.InviteeEntry(name=n) for n in ("城关鞋业有限公司", "工业园区服务中心", "区人事局")]
    services.add_invitees(round=round_, entries=entries, by=None)
    gave = round_.invitees.get(name="城关鞋业有限公司")
    services.record_opinion(round=round_, channel=Channel.LETTER, text="备案手续多", invitee=gave, by=None)
    assert services.units_that_gave_opinions(round_) == [gave]
    with django_capture_on_commit_callbacks(execute=True):
        symposium, batch = services.plan_followup(
            round=round_,
            invitees=[gave],
            title="征求意见回访座谈会",
            held_on=date(2005, 4, 8),
            place="局三楼会议室",
            by=None,
            base_url="http://x/",
        )
    assert symposium.is_followup and list(symposium.invitees.all()) == [gave]
    batch.refresh_from_db()
    archive = zipfile.ZipFile(io.BytesIO(bytes(batch.content)))
    assert len(archive.namelist()) == 1
    text = docx_text(archive.read(archive.namelist()[0]))
    assert "座谈会邀请函" in text and "城关鞋业有限公司" in text and "2005年4月8日在局三楼会议室" in text


def test_the_finished_run_downloads_as_a_zip(
    world: World, round_: OpinionRound, django_capture_on_commit_callbacks: Any
) -> None:
    services.add_invitees(round=round_, entries=[services.InviteeEntry(name="区人事局")], by=None)
    client = world.client("office")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("opinions:letters_start", kwargs={"opinion_round_id": round_.pk}))
    assert response.status_code == 302
    batch = LetterBatch.objects.get()
    assert batch.base_url == "http://testserver/"
    download = client.get(reverse("opinions:batch_download", kwargs={"letter_batch_id": batch.pk}))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(download.content)).namelist()) == 1
