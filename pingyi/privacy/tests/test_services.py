"""Export and anonymisation across every app: complete for the person, nothing of others, tallies intact."""

import io
import json
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection

from conftest import World
from pingyi.core.audit import verify_chain
from pingyi.core.models import AuditEntry
from pingyi.evaluation.models import EvaluationRound, RoundMember, VoteCount
from pingyi.org.models import Person, Post
from pingyi.privacy import services

from .conftest import SECRET_TEXT, Record

IDENTIFYING = ["王党员", "11010519491231002X", "13800138000", "1949-12-31", '"username": "member"']


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label != "sessions"}


def test_export_holds_the_persons_records_from_every_app_and_nothing_of_others(world: World, record: Record) -> None:
    files = _unzip(services.export_person_data(person=record.person, by=world.users["member"]))
    data = json.loads(files["data.json"])["records"]
    assert data["person"][0]["id_number"] == "11010519491231002X"  # their own, unmasked
    assert data["posts"][0]["title"] == "组织委员"
    assert data["account"][0]["username"] == "member"
    assert data["writings"][0]["text"] == SECRET_TEXT
    assert data["talks"][0]["summary"] == "谈到其家庭困难"
    assert data["criticisms_received"][0]["text"] == "王党员迟到较多"
    assert data["self_assessments"][0]["text"] == "自评：合格"
    assert data["evaluation_decisions"][0]["opinion"] == "王党员表现合格"
    assert data["voted_in"] == [{"round__title": "民主评议", "on_paper": False}]
    assert data["feedback"][0]["strengths"] == "工作认真"
    assert data["opinions_about_you"][0]["text"] == "王党员态度好"
    assert data["rectification_items"][0]["title"] == "改进作风"
    assert data["excusals"][0]["reason"] == "重病住院"
    assert SECRET_TEXT in files[f"writings/{record.writing.pk}-self_analysis.txt"].decode()
    assert "README.txt" in files and any(name.startswith("feedback/") for name in files)
    whole = b"".join(files.values()).decode()
    for others in ("张先生", "13900000000", "某用人单位"):  # who gave the opinion is someone else's data
        assert others not in whole
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "privacy.person_exported" and entry.target == f"org.person:{record.person.pk}"


def test_anonymise_clears_who_they_were_and_keeps_every_count(world: World, record: Record) -> None:
    before = _row_counts()
    votes_before = list(VoteCount.objects.values_list("grade_0", "grade_1"))
    changed = services.anonymise_person(person=record.person, ground="left", by=world.users["secretary"])
    assert changed["writings"]["writings"] == 1 and changed["org"]["people"] == 1

    person = Person.objects.get(pk=record.person.pk)
    assert person.name == f"已匿名人员{person.pk}" and person.id_number is None and person.phone == ""
    assert person.birth_date is None and person.user is None and person.org == world.orgs["branch"]
    account = get_user_model().objects.get(pk=world.users["member"].pk)  # kept: audit entries point at it
    assert not account.is_active and not account.has_usable_password() and account.username.startswith("erased-")
    after = _row_counts()
    assert after.pop("org.Post") == before.pop("org.Post") - 1
    assert after.pop("core.AuditEntry") == before.pop("core.AuditEntry") + 1
    assert after == before  # every other record stays: counts, attendance, grades, participation
    assert list(VoteCount.objects.values_list("grade_0", "grade_1")) == votes_before

    files = _unzip(services.export_person_data(person=person, by=world.users["secretary"]))
    whole = b"".join(files.values()).decode()
    for fact in [*IDENTIFYING, SECRET_TEXT, "谈到其家庭困难", "王党员迟到较多", "重病住院", "工作认真", "组织委员"]:
        assert fact not in whole, fact
    with connection.cursor() as cursor:  # nor anywhere in the tables the apps write, audit log aside
        for model in apps.get_models():
            if model._meta.app_label in ("core", "sessions", "admin"):
                continue
            for field in model._meta.concrete_fields:
                if field.get_internal_type() in ("TextField", "CharField"):
                    hit = model.objects.filter(**{f"{field.name}__contains": SECRET_TEXT[:8]}).exists()
                    assert not hit, f"{model._meta.label}.{field.name}"
    assert cursor is not None

    checked, broken = verify_chain()
    assert broken is None and checked > 0
    entry = AuditEntry.objects.filter(action="privacy.person_anonymised").get()
    assert entry.data["ground"] == "left" and "王党员" not in json.dumps(entry.data, ensure_ascii=False)


def test_anonymising_twice_changes_nothing_the_second_time(world: World, record: Record) -> None:
    services.anonymise_person(person=record.person, ground="left", by=world.users["secretary"])
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="已经匿名化"):
        services.anonymise_person(person=record.person, ground="left", by=world.users["secretary"])
    assert AuditEntry.objects.count() == entries


def test_an_open_round_or_open_item_blocks_and_nothing_changes(world: World, record: Record) -> None:
    upcoming = EvaluationRound.objects.create(campaign=record.round.campaign, org=record.round.org, title="下一轮")
    RoundMember.objects.create(round=upcoming, person=record.person)
    with pytest.raises(ValidationError, match="民主评议"):
        services.anonymise_person(person=record.person, ground="left", by=world.users["secretary"])
    assert Person.objects.get(pk=record.person.pk).name == "王党员"


def test_a_crash_in_a_later_app_rolls_back_every_app(world: World, record: Record, monkeypatch: Any) -> None:
    from pingyi.rectification import personal_data

    def crash(person: Any) -> dict:
        raise RuntimeError("disk full")

    monkeypatch.setattr(personal_data, "anonymise", crash)
    with pytest.raises(RuntimeError):
        services.anonymise_person(person=record.person, ground="left", by=world.users["secretary"])
    assert Person.objects.get(pk=record.person.pk).id_number == "11010519491231002X"
    assert Post.objects.filter(person=record.person).exists()
    assert record.writing.__class__.objects.get(pk=record.writing.pk).text == SECRET_TEXT
    assert not AuditEntry.objects.filter(action="privacy.person_anonymised").exists()


def test_unknown_ground_is_refused(world: World, record: Record) -> None:
    with pytest.raises(ValidationError):
        services.anonymise_person(person=record.person, ground="because", by=world.users["secretary"])


def test_the_originality_index_forgets_the_persons_writings(world: World, record: Record) -> None:
    from pingyi.originality import services as originality
    from pingyi.originality.models import CorpusDocument, Fingerprint, FingerprintStat

    version = record.writing.versions.get()
    doc = originality.index_text(
        kind="writing",
        ref=version.pk,
        org=world.orgs["branch"],
        campaign=None,
        title="x",
        text=SECRET_TEXT * 3,
        by=None,
    )
    assert Fingerprint.objects.filter(doc=doc).exists()
    stats_before = FingerprintStat.objects.filter(docs__gt=0).count()
    assert stats_before > 0
    services.anonymise_person(person=record.person, ground="left", by=world.users["secretary"])
    assert not CorpusDocument.objects.filter(pk=doc.pk).exists()
    assert not Fingerprint.objects.filter(doc_id=doc.pk).exists()
    assert FingerprintStat.objects.filter(docs__gt=0).count() == 0  # the statistics no longer count it
