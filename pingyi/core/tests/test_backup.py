"""`backup` then `restore` into an empty database: every table's row count and the audit head come back.

Runs on the engine of the suite (SQLite here, PostgreSQL in CI's second run). The restore runs as a
separate `manage.py restore` process against a new, empty database, as an operator would run it.
"""

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from conftest import World, open_campaign
from pingyi.core import backup
from pingyi.core.audit import last_hash, record

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees only committed rows


def _counts_now() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return backup._table_counts(cursor, tables)


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """DATABASE_URL of a new, empty database on the suite's engine, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = settings.DATABASES["default"]
    name = f"{connection.settings_dict['NAME']}_restore"
    server = f"{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    admin = f"postgresql://{server}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0].replace("postgresql://", "postgres://") + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restored_counts(url: str) -> tuple[dict[str, int], str]:
    """Read the restored database directly, not through the code under test."""
    if url.startswith("sqlite:///"):
        conn: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        tables = [t for t in tables if not t.startswith("sqlite_")]
    else:
        conn = psycopg.connect(url.replace("postgres://", "postgresql://"))
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    try:
        counts = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        head = conn.execute("SELECT last_hash FROM core_audithead WHERE id = 1").fetchone()[0]
    finally:
        conn.close()
    return counts, head


def _manage(*args: str, database_url: str, media: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "PINGYI_TEST_DB")}
    env.update(DATABASE_URL=database_url, PINGYI_MEDIA_ROOT=str(media))
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)


def test_backup_restores_into_an_empty_database(
    world: World, tmp_path: Path, empty_database: str, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "uploads").mkdir(parents=True)
    (settings.MEDIA_ROOT / "uploads" / "名册.xlsx").write_bytes(b"roster bytes")
    open_campaign(world)
    record(actor=world.users["secretary"], action="core.backup_test", org=world.orgs["branch"], data={"n": 1})
    before, head = _counts_now(), last_hash()

    path = backup.make_backup(output=tmp_path / "backups")
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["tables"] == before and manifest["audit_head"] == head
    assert sum(before.values()) > 100 and before["core_auditentry"] > 5
    assert {oct(p.stat().st_mode & 0o777) for p in [path, *path.iterdir()]} <= {"0o700", "0o600"}

    restored_media = tmp_path / "restored-media"
    result = _manage("restore", str(path), database_url=empty_database, media=restored_media)
    assert result.returncode == 0, result.stdout + result.stderr
    counts, restored_head = _restored_counts(empty_database)
    assert counts == before
    assert restored_head == head
    assert (restored_media / "uploads" / "名册.xlsx").read_bytes() == b"roster bytes"

    # The restored chain verifies in its new home.
    verified = _manage("verify_audit", database_url=empty_database, media=restored_media)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_restore_refuses_a_database_that_is_not_empty(world: World, tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    path = backup.make_backup(output=tmp_path)
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore_backup(path)
    assert _counts_now()["org_orgunit"] == len(world.orgs)


def test_a_damaged_backup_is_refused(world: World, tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    path = backup.make_backup(output=tmp_path)
    dump = next(p for p in path.iterdir() if p.name.startswith("database."))
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(backup.BackupError, match="checksum"):
        backup.restore_backup(path, force=True)


def test_verification_reports_a_missing_row_and_a_changed_head(world: World, tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    manifest = json.loads((backup.make_backup(output=tmp_path) / "manifest.json").read_text())
    assert backup.verify_restored(manifest).mismatches == []
    record(actor=None, action="core.backup_test", data={})  # one entry more than the backup holds
    mismatches = backup.verify_restored(manifest).mismatches
    assert any(m.startswith("core_auditentry:") for m in mismatches)
    assert any(m.startswith("audit head:") for m in mismatches)


def test_keep_prunes_older_backups_and_the_command_reports(world: World, tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    for stamp in ("20050101-000000", "20050102-000000", "20050103-000000"):
        old = tmp_path / f"pingyi-{stamp}"
        old.mkdir()
        (old / "manifest.json").write_text("{}")
    (tmp_path / "unrelated").mkdir()
    call_command("backup", output=tmp_path, keep=2)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left[0] == "pingyi-20050103-000000" and len(left) == 3 and "unrelated" in left


@pytest.mark.parametrize("with_filters", [True, False])
def test_an_archive_entry_outside_the_uploads_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_filters: bool
) -> None:
    import io
    import tarfile

    if not with_filters:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("../escaped.txt")
        info.size = 3
        archive.addfile(info, io.BytesIO(b"bad"))
    buffer.seek(0)
    target = tmp_path / "media"
    target.mkdir()
    with tarfile.open(fileobj=buffer, mode="r:gz") as archive, pytest.raises((backup.BackupError, tarfile.TarError)):
        backup._extract(archive, target)
    assert not (tmp_path / "escaped.txt").exists()
