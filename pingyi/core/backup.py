"""Backups: the database and the uploads, consistent and timestamped, with a manifest to check a restore by.

A backup is a directory `pingyi-YYYYmmdd-HHMMSS/` holding

    database.pgdump   PostgreSQL: `pg_dump --format=custom`, taken in an exported snapshot
    database.sqlite3  SQLite: a copy made with SQLite's online backup API
    media.tar.gz      everything under MEDIA_ROOT (file-backed uploads)
    manifest.json     row counts of every table and the audit head, read in the same snapshot as the
                      dump, and the SHA-256 of each file

It is written under a temporary name and renamed when complete, so a directory with a manifest is a
whole backup. `restore` loads one into an empty database (it refuses a database that has tables unless
forced), then counts every table and reads the audit head again and compares them with the manifest.
The uploads are taken after the database snapshot: a file uploaded in between is in the archive
without a row pointing at it, never the reverse. Restoring needs the same engine as the backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
PREFIX = "pingyi-"


class BackupError(Exception):
    """A backup or restore that must not go on; the message says why, for the operator."""


@dataclass(frozen=True)
class Verification:
    tables: int
    rows: int
    audit_head: str
    mismatches: list[str]


def _table_counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _audit_head(cursor: Any, tables: list[str]) -> str:
    if "core_audithead" not in tables:
        return ""
    cursor.execute("SELECT last_hash FROM core_audithead WHERE id = 1")
    row = cursor.fetchone()
    return str(row[0]) if row else ""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> dict[str, str]:
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {result.stderr.strip()[-2000:]}")


def _dump_postgresql(target: Path) -> tuple[dict[str, int], str]:
    """Counts, head and dump all from one snapshot: pg_dump joins the snapshot this transaction exported."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = connection.introspection.table_names(cursor)
        counts, head = _table_counts(cursor, tables), _audit_head(cursor, tables)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
              f"--file={target}"], _pg_env())  # fmt: skip
    return counts, head


def _dump_sqlite(target: Path) -> tuple[dict[str, int], str]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # a consistent copy while others may write
        cursor = copy.cursor()
        tables = [r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        tables = [t for t in tables if not t.startswith("sqlite_")]
        return _table_counts(cursor, tables), _audit_head(cursor, tables)
    finally:
        copy.close()


def make_backup(*, output: Path | None = None, keep: int | None = None) -> Path:
    """Write a backup under `output` (settings.BACKUP_DIR) and return its directory."""
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(f"no backup method for {vendor}")
    root = Path(output or settings.BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    now = timezone.localtime()
    final = root / f"{PREFIX}{now:%Y%m%d-%H%M%S}"
    if final.exists():
        raise BackupError(f"{final} exists already")
    partial = root / f".{final.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)  # it holds everyone's personal data: the service user alone may read it
    old_umask = os.umask(0o077)
    try:
        dump = partial / DUMPS[vendor]
        counts, head = _dump_postgresql(dump) if vendor == "postgresql" else _dump_sqlite(dump)
        media_root = Path(settings.MEDIA_ROOT)
        with tarfile.open(partial / MEDIA, "w:gz") as archive:
            if media_root.is_dir():
                archive.add(media_root, arcname=".")
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": vendor,
            "tables": counts,
            "audit_head": head,
            "files": {name: _sha256(partial / name) for name in (DUMPS[vendor], MEDIA)},
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        os.umask(old_umask)
    if keep:
        prune(root, keep)
    return final


def prune(root: Path, keep: int) -> list[Path]:
    """Remove all but the `keep` newest whole backups (directories with a manifest)."""
    whole = sorted(p for p in root.glob(f"{PREFIX}*") if (p / MANIFEST).is_file())
    gone = whole[:-keep] if keep > 0 else []
    for path in gone:
        shutil.rmtree(path)
    return gone


def read_manifest(path: Path) -> dict[str, Any]:
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{path} is not a whole backup: no {MANIFEST}")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')}")
    for name, digest in manifest["files"].items():
        if _sha256(path / name) != digest:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged")
    return manifest


def _current_tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def _clear_database() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in _current_tables():
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")


def restore_backup(path: Path, *, force: bool = False) -> Verification:
    """Load a backup into the configured database (empty unless `force`) and check it against the manifest."""
    manifest = read_manifest(path)
    vendor = connection.vendor
    if manifest["engine"] != vendor:
        raise BackupError(f"the backup is of a {manifest['engine']} database; this site uses {vendor}")
    if _current_tables():
        if not force:
            raise BackupError("the database is not empty: restore into an empty one, or pass --force to replace it")
        _clear_database()
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir() and any(media_root.iterdir()) and not force:
        raise BackupError(f"{media_root} is not empty; pass --force to restore the uploads over it")

    dump = path / DUMPS[vendor]
    if vendor == "postgresql":
        connection.close()
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={_pg_env()['PGDATABASE']}",
              str(dump)], _pg_env())  # fmt: skip
    else:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path / MEDIA, "r:gz") as archive:
        _extract(archive, media_root)
    return verify_restored(manifest)


def _extract(archive: tarfile.TarFile, target: Path) -> None:
    """Only plain files and folders inside the target (Python before 3.11.4, Debian 12's, has no tar filters)."""
    if hasattr(tarfile, "data_filter"):
        archive.extractall(target, filter="data")
        return
    root = target.resolve()
    for member in archive.getmembers():
        if not (member.isfile() or member.isdir()) or not (root / member.name).resolve().is_relative_to(root):
            raise BackupError(f"unsafe entry in the uploads archive: {member.name}")
    archive.extractall(target)  # every member was checked above


def verify_restored(manifest: dict[str, Any]) -> Verification:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts, head = _table_counts(cursor, tables), _audit_head(cursor, tables)
    expected: dict[str, int] = manifest["tables"]
    mismatches = [
        f"{table}: {expected.get(table)} in the backup, {counts.get(table)} restored"
        for table in sorted(set(expected) | set(counts))
        if expected.get(table) != counts.get(table)
    ]
    if head != manifest["audit_head"]:
        mismatches.append(f"audit head: {manifest['audit_head']} in the backup, {head} restored")
    return Verification(tables=len(counts), rows=sum(counts.values()), audit_head=head, mismatches=mismatches)
