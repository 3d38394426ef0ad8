"""What the keyed chain and its anchors catch, and what only the anchors catch (docs/adr/0007)."""

import hashlib
import importlib
import json
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from pingyi.core import audit
from pingyi.core.models import AuditEntry, AuditHead
from pingyi.org import services as org_services
from pingyi.org.models import OrgType

rekey_migration = importlib.import_module("pingyi.core.migrations.0002_keyed_audit_chain")


@pytest.fixture
def chain(db):
    user = get_user_model().objects.create_user("shuji", first_name="李书记")
    for i in range(6):
        org_services.create_org_unit(parent=None, type=OrgType.PROVINCE, code=f"P{i}", name=f"省{i}", by=user)
    return list(AuditEntry.objects.order_by("id"))


def _rebuild_from(entry_id: int, key: bytes, change=None) -> None:
    """What someone with write access to the database does to rewrite history from an entry on."""
    prev = AuditEntry.objects.filter(id__lt=entry_id).order_by("-id").values_list("hash", flat=True).first()
    prev = prev or audit.GENESIS
    for entry in AuditEntry.objects.filter(id__gte=entry_id).order_by("id"):
        if change and entry.id == entry_id:
            change(entry)
        entry.prev_hash = prev
        entry.hash = audit.entry_digest(entry, key)
        entry.save()
        prev = entry.hash
    AuditHead.objects.update(last_hash=prev)


def test_crediting_an_entry_to_someone_else_is_caught(chain):
    AuditEntry.objects.filter(pk=chain[2].pk).update(actor_label="member")
    assert audit.verify_chain()[1] == audit.ChainBreak(chain[2].pk, "hash")
    AuditEntry.objects.filter(pk=chain[2].pk).update(actor_label="shuji", actor_name="王党员")
    assert audit.verify_chain()[1] == audit.ChainBreak(chain[2].pk, "hash")


def test_a_tail_rebuilt_without_the_key_is_caught(chain):
    def forge(entry):
        entry.data = {**entry.data, "name": "伪造"}

    _rebuild_from(chain[3].pk, b"a key guessed by whoever wrote the database", forge)
    assert audit.verify_chain()[1] == audit.ChainBreak(chain[3].pk, "hash")


def test_a_tail_rebuilt_as_plain_sha256_is_caught(chain):
    for entry in AuditEntry.objects.filter(id__gte=chain[4].pk):
        entry.hash = hashlib.sha256(json.dumps(audit.hashed_fields(entry), default=str).encode()).hexdigest()
        entry.save()
    assert audit.verify_chain()[1] is not None


def test_deleting_a_user_keeps_the_chain_and_the_name(chain, world):
    get_user_model().objects.get(username="shuji").delete()
    assert audit.verify_chain() == (len(AuditEntry.objects.all()), None)
    entry = AuditEntry.objects.get(pk=chain[0].pk)
    assert entry.actor is None and (entry.actor_uid, entry.actor_label, entry.actor_name)[1:] == ("shuji", "李书记")
    html = world.client("admin").get(f"/audit/{entry.org.code}/").content.decode()
    assert "李书记" in html


def test_a_cut_tail_passes_the_chain_but_not_the_anchor(chain):
    anchored = audit.head()
    AuditEntry.objects.filter(pk__in=[chain[-1].pk, chain[-2].pk]).delete()
    AuditHead.objects.update(last_hash=chain[-3].hash)
    assert audit.verify_chain()[1] is None  # nothing inside the database can tell
    with pytest.raises(CommandError, match="被删减或整体重建"):
        call_command("verify_audit", against=[str(anchored)])


def test_a_chain_rebuilt_with_the_key_before_an_anchor_is_caught(chain):
    anchored = audit.Anchor(chain[3].pk, chain[3].hash)
    _rebuild_from(chain[1].pk, audit.audit_key(), lambda e: setattr(e, "target", "org.orgunit:999"))
    assert audit.verify_chain()[1] is None  # the key leaked: the chain alone is convincing
    assert audit.check_anchors([anchored]) == audit.ChainBreak(chain[3].pk, "anchor", str(anchored))
    with pytest.raises(CommandError):
        call_command("verify_audit", against=[str(anchored)])


def test_verify_against_an_intact_head_passes(chain, capsys):
    call_command("verify_audit", against=[str(audit.head()), chain[1].hash])
    assert "相符" in capsys.readouterr().out


def test_stage_sign_off_writes_the_head_to_the_anchor_file(
    world, campaign, settings, tmp_path, capsys, django_capture_on_commit_callbacks
):
    from pingyi.campaigns import services

    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.jsonl")
    stage = campaign.stages.get(order=1)
    for item in stage.lookback_items.all():
        services.check_lookback_item(item=item, by=world.users["secretary"], note="")
    with django_capture_on_commit_callbacks(execute=True):
        signed = services.sign_off_stage(stage=stage, by=world.users["secretary"])
    written = [json.loads(line) for line in (tmp_path / "anchors.jsonl").read_text().splitlines()]
    assert f"{written[-1]['id']}:{written[-1]['hash']}" == signed.audit_head
    call_command("verify_audit")  # reads the anchor file named in the settings
    assert "1 个校验值" in capsys.readouterr().out
    AuditEntry.objects.filter(pk=written[-1]["id"]).delete()
    last = AuditEntry.objects.order_by("-id").first()
    AuditHead.objects.update(last_hash=last.hash)
    with pytest.raises(CommandError, match="被删减"):
        call_command("verify_audit")


# Entries hashed the first way (plain SHA-256) before the keyed chain


def _legacy_chain(world) -> list[AuditEntry]:
    """Write a chain as the first version of the log did, over the entries the world fixture made."""
    prev = audit.GENESIS
    entries = list(AuditEntry.objects.order_by("id"))
    for entry in entries:
        entry.prev_hash = prev
        entry.actor_uid, entry.actor_name, entry.legacy_hash, entry.legacy_break = None, "", "", ""
        entry.hash = rekey_migration.legacy_digest(entry)
        entry.save()
        prev = entry.hash
    AuditHead.objects.update(last_hash=prev)
    return entries


def test_the_migration_rekeys_an_intact_first_chain(world):
    old = _legacy_chain(world)
    printed = old[-1].hash  # a notice printed before the upgrade
    rekey_migration.rekey(apps, None)
    assert audit.verify_chain() == (len(old), None)
    assert list(AuditEntry.objects.order_by("id").values_list("legacy_hash", flat=True)) == [e.hash for e in old]
    assert audit.check_anchors([audit.Anchor.parse(printed)]) is None
    member = AuditEntry.objects.get(action="person.create")
    assert member.actor_uid is None and member.actor_label == "system"


def test_the_migration_keeps_an_earlier_tampering_visible(world):
    old = _legacy_chain(world)
    AuditEntry.objects.filter(pk=old[2].pk).update(target="org.orgunit:999")
    rekey_migration.rekey(apps, None)
    assert audit.verify_chain()[1] == audit.ChainBreak(old[2].pk, "legacy_hash")
    with pytest.raises(CommandError, match="改用密钥校验之前"):
        call_command("verify_audit")


def test_the_migration_keeps_an_earlier_cut_tail_visible(world):
    old = _legacy_chain(world)
    AuditEntry.objects.filter(pk=old[-1].pk).delete()
    rekey_migration.rekey(apps, None)
    assert audit.verify_chain()[1] == audit.ChainBreak(old[-2].pk, "legacy_tail")


def test_the_key_is_not_in_the_database(chain, settings):
    settings.AUDIT_KEY = "k" * 40
    entry = audit.record(actor=None, action="org.rename", data={"birth": str(date(2005, 1, 1))})
    assert entry.hash == audit.entry_digest(entry, b"k" * 40)
    assert entry.hash != audit.entry_digest(entry, b"x" * 40)
