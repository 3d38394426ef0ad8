import itertools

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from pingyi.core import audit
from pingyi.core.models import AuditEntry
from pingyi.org import services as org_services
from pingyi.org.models import OrgType


@pytest.fixture
def chain(db):
    for i in range(5):
        org_services.create_org_unit(parent=None, type=OrgType.PROVINCE, code=f"P{i}", name=f"省{i}", by=None)
    return list(AuditEntry.objects.order_by("id"))


def test_each_entry_holds_the_hash_of_the_one_before(chain):
    assert chain[0].prev_hash == audit.GENESIS
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash
    assert audit.verify_chain() == (5, None)


def test_verify_audit_passes_on_an_intact_chain(chain, capsys):
    call_command("verify_audit")
    assert "5" in capsys.readouterr().out


def test_an_edited_row_is_reported_at_that_row(chain):
    victim = chain[2]
    AuditEntry.objects.filter(pk=victim.pk).update(data={"code": "P2", "name": "改过的名字", "type": "province"})
    with pytest.raises(CommandError, match=f"第 {victim.pk} 条"):
        call_command("verify_audit")


def test_a_row_rewritten_with_a_fresh_hash_still_breaks_the_next_link(chain):
    victim = chain[1]
    victim.action = "org.rename"
    victim.hash = audit.entry_digest(victim)  # even with the key, the next link still points at the old hash
    victim.save()
    _checked, broken = audit.verify_chain()
    assert broken is not None and broken.entry_id == chain[2].pk


def test_a_deleted_row_is_caught(chain):
    AuditEntry.objects.filter(pk=chain[3].pk).delete()
    _, broken = audit.verify_chain()
    assert broken is not None and broken.entry_id == chain[4].pk


def test_deleting_the_last_row_is_caught(chain):
    AuditEntry.objects.filter(pk=chain[-1].pk).delete()
    _, broken = audit.verify_chain()
    assert broken is not None and broken.reason == "tail"


def test_a_failed_write_leaves_no_entry(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        org_services.create_org_unit(parent=None, type=OrgType.PROVINCE, code="X", name="X", by=None)
        raise RuntimeError("crash after the write")
    assert not AuditEntry.objects.exists()
    assert audit.verify_chain() == (0, None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="SQLite serialises writers itself; the row lock matters on PostgreSQL",
)
def test_concurrent_writers_extend_one_unbroken_chain():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def write(n: int) -> None:
        try:
            for i in range(10):
                org_services.create_org_unit(parent=None, type=OrgType.PROVINCE, code=f"T{n}-{i}", name="并发", by=None)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, range(4)))
    assert audit.verify_chain() == (40, None)
