"""ADR 0004 on SQLite's files: what a copy of `db.sqlite3`, `-wal` and `-shm` shows after votes.

SQLite is the embedded default, run in WAL mode with connections held open. Each test reads the files
as an attacker with a copy of the disk would: every record of the vote counters found anywhere in the
three files, each version of each counter, and the order in which members voted (not secret: the
participation rows keep it). From successive versions of the counters and that order it rebuilds each
member's ballot. Unprotected (without the ballot path's truncating checkpoint and secure_delete) it
recovers every ballot, so the reader works; protected, it finds one version of each counter and nothing
to rebuild, and the counter pages are byte for byte the same whatever the order of the votes.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from pingyi.evaluation.models import COUNTER_BASE

from .reader import Key, rebuild_ballots

FILES = ("db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm")


def _probe(tmp: Path, out: str, *args: str) -> Path:
    database = f"sqlite:///{tmp / 'live.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "pingyi.settings"}
    command = [sys.executable, "-m", "pingyi.evaluation.tests.sqlite_probe"]
    command += ["--template", str(tmp / "migrated.sqlite3")]
    subprocess.run([*command, "--out", str(tmp / out), *args], env=env, cwd=settings.BASE_DIR, check=True)
    return tmp / out


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Copies taken after the same six ballots: in one order, in the opposite order, and unprotected."""
    tmp = tmp_path_factory.mktemp("sqlite-ballots")
    _probe(tmp, "unused")  # migrates the template database once
    return {
        "forward": _probe(tmp, "forward", "--order", "forward"),
        "reverse": _probe(tmp, "reverse", "--order", "reverse"),
        "unprotected": _probe(tmp, "unprotected", "--order", "forward", "--unprotected"),
    }


def _open(copy: Path) -> sqlite3.Connection:
    """A scratch copy opened with SQLite itself (which replays the log, as any reader's tool would)."""
    scratch = copy / "scratch"
    scratch.mkdir(exist_ok=True)
    for name in FILES:
        shutil.copyfile(copy / name, scratch / name)
    return sqlite3.connect(scratch / "db.sqlite3")


def _columns(copy: Path) -> list[str]:
    with _open(copy) as db:
        return [row[1] for row in db.execute("PRAGMA table_info(evaluation_votecount)")]


def _value(serial: int, blob: bytes, at: int) -> tuple[Any, int]:
    """One column of a SQLite record (https://www.sqlite.org/fileformat.html#record_format)."""
    widths = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}
    if serial in widths:
        width = widths[serial]
        return int.from_bytes(blob[at : at + width], "big", signed=True) if width else None, at + width
    if serial in (8, 9):
        return serial - 8, at
    if serial >= 13 and serial % 2:
        width = (serial - 13) // 2
        return blob[at : at + width].decode("utf-8", "replace"), at + width
    raise ValueError(serial)


def counter_records(blob: bytes, columns: list[str]) -> list[dict[str, Any]]:
    """Every record of the counter table in a file, live or left over: found by its header (one byte per
    column, the first a 32-character text: the row's UUID), then read column by column."""
    header = bytes([1 + len(columns), 13 + 2 * 32])
    found, at = [], blob.find(header)
    while at >= 0:
        try:
            pos, values = at + 1 + len(columns), []
            for serial in blob[at + 1 : at + 1 + len(columns)]:
                value, pos = _value(serial, blob, pos)
                values.append(value)
            row = dict(zip(columns, values, strict=True))
            if len(row["id"]) == 32 and row["source"] in ("members", "public"):
                found.append(row)
        except (ValueError, TypeError, KeyError):
            pass
        at = blob.find(header, at + 1)
    return found


def versions(copy: Path) -> dict[Key, set[tuple[int, ...]]]:
    """Each counter row's versions (its counts) found anywhere in the three files."""
    columns = _columns(copy)
    grades = [c for c in columns if c.startswith("grade_")]
    found: dict[Key, set[tuple[int, ...]]] = defaultdict(set)
    for name in FILES:
        for row in counter_records((copy / name).read_bytes(), columns):
            counts = tuple(row[g] - COUNTER_BASE if row[g] >= COUNTER_BASE else row[g] for g in grades)
            found[(row["subject_id"], row["source"], row["dimension"])].add(counts)
    return found


VOTERS_SQL = (
    "SELECT m.id, p.name FROM evaluation_participation v JOIN evaluation_roundmember m ON m.id = v.member_id"
    " JOIN org_person p ON p.id = m.person_id ORDER BY v.id"
)


def ballots_from(copy: Path) -> dict[str, dict]:
    with _open(copy) as db:
        voters = list(db.execute(VOTERS_SQL))
    return rebuild_ballots(versions(copy), voters)


def _truth(copy: Path) -> dict[str, Any]:
    return json.loads((copy / "ballots.json").read_text())


def test_the_reader_recovers_every_ballot_when_the_ballot_path_is_unprotected(copies: dict[str, Path]) -> None:
    copy = copies["unprotected"]
    assert (copy / "db.sqlite3-wal").stat().st_size > 0
    assert max(len(v) for v in versions(copy).values()) > 1  # earlier versions of the counters
    assert ballots_from(copy) == _truth(copy)["ballots"]  # …which give away each member's ballot


@pytest.mark.parametrize("order", ["forward", "reverse"])
def test_protected_files_hold_only_the_final_counts_and_no_ballot(copies: dict[str, Path], order: str) -> None:
    copy = copies[order]
    assert (copy / "db.sqlite3-wal").stat().st_size == 0  # emptied after each ballot
    found = versions(copy)
    assert len(found) == 36  # 6 members × (overall + 2 dimensions) × 2 sources, all found…
    assert all(len(v) == 1 for v in found.values())  # …each in one version only
    assert ballots_from(copy) == {}
    total = sum(sum(next(iter(v))) for (s, source, d), v in found.items() if source == "members" and d == 0)
    assert total == 6 * 5  # and that version holds every vote: six ballots rating five others


def _counter_pages(copy: Path) -> list[bytes]:
    with _open(copy) as db:
        try:
            pages = [row[0] for row in db.execute("SELECT pageno FROM dbstat WHERE name = 'evaluation_votecount'")]
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no dbstat table")
        size = db.execute("PRAGMA page_size").fetchone()[0]
    blob = (copy / "db.sqlite3").read_bytes()
    return [blob[(n - 1) * size : n * size] for n in sorted(pages)]


def test_the_counter_pages_are_the_same_whatever_the_order_of_the_votes(copies: dict[str, Path]) -> None:
    """Nothing in the layout of the pages (where each record sits, free space) remembers the order."""
    assert _truth(copies["forward"])["order"] == list(reversed(_truth(copies["reverse"])["order"]))
    forward, reverse = _counter_pages(copies["forward"]), _counter_pages(copies["reverse"])
    assert forward and forward == reverse
