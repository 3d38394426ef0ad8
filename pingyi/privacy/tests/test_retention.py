"""Retention periods: what is older than its period is cleared, what is newer stays; settings override."""

import datetime as dt
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from conftest import World
from pingyi.core.models import AuditEntry, Job
from pingyi.core.personal import ERASED
from pingyi.opinions.models import LetterBatch, Opinion, OpinionRound
from pingyi.privacy import services
from pingyi.talks.models import Talk

NOW = timezone.now()


def _world(world: World) -> dict[str, Any]:
    branch = world.orgs["branch"]
    round_ = OpinionRound.objects.create(org=branch, title="征求意见")
    old = Opinion.objects.create(round=round_, channel="online", text="旧", contact_name="张", contact_phone="139")
    new = Opinion.objects.create(round=round_, channel="online", text="新", contact_name="李", contact_phone="138")
    Opinion.objects.filter(pk=old.pk).update(created_at=NOW - dt.timedelta(days=400))
    old_talk = Talk.objects.create(
        org=branch, held_on=(NOW - dt.timedelta(days=4 * 365)).date(), topic="t", summary="s"
    )
    new_talk = Talk.objects.create(org=branch, held_on=NOW.date(), topic="t", summary="s")
    old_job = Job.objects.create(name="x", status=Job.Status.DONE, finished_at=NOW - dt.timedelta(days=200))
    running = Job.objects.create(name="x", status=Job.Status.RUNNING)
    letters = LetterBatch.objects.create(round=round_, kind="letters", content=b"zip")
    LetterBatch.objects.filter(pk=letters.pk).update(created_at=NOW - dt.timedelta(days=100))
    return {"old": old, "new": new, "old_talk": old_talk, "new_talk": new_talk, "old_job": old_job,
            "running": running, "letters": letters}  # fmt: skip


def test_old_personal_data_is_cleared_and_new_stays(world: World) -> None:
    made = _world(world)
    cleared = services.apply_retention(by="apply_retention", now=NOW)
    assert cleared["opinions.contact_details"] == 1 and cleared["talks.summaries"] == 1
    assert cleared["core.jobs"] == 1 and cleared["opinions.letter_files"] == 1
    old, new = Opinion.objects.get(pk=made["old"].pk), Opinion.objects.get(pk=made["new"].pk)
    assert (old.contact_name, old.contact_phone, old.text) == ("", "", "旧")  # the opinion itself stays
    assert (new.contact_name, new.contact_phone) == ("李", "138")
    assert Talk.objects.get(pk=made["old_talk"].pk).summary == ERASED
    assert Talk.objects.get(pk=made["new_talk"].pk).summary == "s"
    assert not Job.objects.filter(pk=made["old_job"].pk).exists() and Job.objects.filter(pk=made["running"].pk).exists()
    assert LetterBatch.objects.get(pk=made["letters"].pk).content is None
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "privacy.retention_applied" and entry.data["cleared"]["talks.summaries"] == 1

    entries = AuditEntry.objects.count()
    assert not any(services.apply_retention(by="apply_retention", now=NOW).values())
    assert AuditEntry.objects.count() == entries  # nothing cleared, nothing logged


def test_a_setting_overrides_a_period_and_zero_keeps_for_good(world: World, settings: Any) -> None:
    made = _world(world)
    settings.PERSONAL_DATA_RETENTION_DAYS = {"talks.summaries": 0, "opinions.contact_details": 500}
    cleared = services.apply_retention(by="apply_retention", now=NOW)
    assert "talks.summaries" not in cleared and cleared["opinions.contact_details"] == 0
    assert Talk.objects.get(pk=made["old_talk"].pk).summary == "s"


def test_dry_run_counts_and_changes_nothing(world: World, capsys: Any) -> None:
    made = _world(world)
    call_command("apply_retention", dry_run=True)
    out = capsys.readouterr().out
    assert "opinions.contact_details\t365\t1" in out and "试运行" in out
    assert Opinion.objects.get(pk=made["old"].pk).contact_phone == "139"
    assert not AuditEntry.objects.filter(action="privacy.retention_applied").exists()
