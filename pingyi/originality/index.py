"""The fingerprint index in the database: bulk writes and the engine's Store.

Raw SQL where the ORM would be slow: PostgreSQL gets COPY and array upserts,
SQLite executemany. Lookups go by hash through the primary-key index in chunks,
so a check reads only the rows of the essay's own hashes, whatever the library size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction

from .engine import EngineSettings, fingerprints
from .models import CorpusDocument, DocumentKind, Fingerprint, FingerprintStat

FP = Fingerprint._meta.db_table
STAT = FingerprintStat._meta.db_table
SQLITE_CHUNK = 900  # well under SQLite's limit on bound parameters


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def add_to_index(docs: Iterable[CorpusDocument], cfg: EngineSettings, sign: int = 1) -> int:
    """Index (sign=1) or un-index (sign=-1) saved documents; returns the fingerprint rows written."""
    rows: list[tuple[int, int, int]] = []
    docs_count: Counter[int] = Counter()
    library_count: Counter[int] = Counter()
    for doc in docs:
        pairs = fingerprints(doc.normalized, cfg.k, cfg.w)
        rows.extend((h, doc.pk, p) for h, p in pairs)
        distinct = {h for h, _ in pairs}
        docs_count.update(distinct)
        if doc.kind == DocumentKind.LIBRARY:
            library_count.update(distinct)
    # In key order each index page is visited once per batch instead of at random.
    rows.sort()
    if sign > 0:
        _insert_rows(rows)
    else:
        _delete_rows(rows)
    _add_stats(docs_count, library_count, sign)
    return len(rows)


def _insert_rows(rows: list[tuple[int, int, int]]) -> None:
    with connection.cursor() as cursor:
        if _is_postgres():
            with cursor.copy(f"COPY {FP} (hash, doc_id, pos) FROM STDIN") as copy:
                for part in _chunks(rows, 100_000):
                    copy.write("".join(f"{h}\t{d}\t{p}\n" for h, d, p in part))
        else:
            cursor.executemany(f"INSERT INTO {FP} (hash, doc_id, pos) VALUES (%s, %s, %s)", rows)


def _delete_rows(rows: list[tuple[int, int, int]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FP} WHERE hash = %s AND doc_id = %s AND pos = %s", rows)


def _add_stats(docs_count: Counter[int], library_count: Counter[int], sign: int) -> None:
    hashes = list(docs_count)
    docs = [sign * docs_count[h] for h in hashes]
    library = [sign * library_count[h] for h in hashes]
    upsert = (
        f"ON CONFLICT (hash) DO UPDATE SET docs = {STAT}.docs + excluded.docs, "
        f"library_docs = {STAT}.library_docs + excluded.library_docs"
    )
    with connection.cursor() as cursor:
        if _is_postgres():
            # COPY into a scratch table, then one upsert in key order: far cheaper than binding arrays.
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAT}_delta (hash bigint, docs int, library_docs int)")
            with cursor.copy(f"COPY {STAT}_delta (hash, docs, library_docs) FROM STDIN") as copy:
                for part in _chunks(list(range(len(hashes))), 100_000):
                    copy.write("".join(f"{hashes[i]}\t{docs[i]}\t{library[i]}\n" for i in part))
            cursor.execute(
                f"INSERT INTO {STAT} (hash, docs, library_docs) "
                f"SELECT hash, docs, library_docs FROM {STAT}_delta ORDER BY hash {upsert}"
            )
            cursor.execute(f"TRUNCATE {STAT}_delta")
        else:
            cursor.executemany(
                f"INSERT INTO {STAT} (hash, docs, library_docs) VALUES (%s, %s, %s) {upsert}",
                sorted(zip(hashes, docs, library, strict=True)),
            )
    if sign < 0:
        _forget_unused(hashes)


def refresh_statistics() -> None:
    """Let PostgreSQL's planner see a bulk load at once (autovacuum would, a minute later)."""
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {FP}, {STAT}")


def _select(table: str, columns: str, hashes: list[int]) -> list[Any]:
    """`SELECT columns FROM table` for the rows of these hashes, through the hash index."""
    out: list[Any] = []
    with connection.cursor() as cursor:
        if _is_postgres():
            # One index probe per hash, whatever the planner's statistics say: `= ANY(array)` or a plain
            # join of a thousand values is planned as a sequential scan on a freshly loaded table.
            # OFFSET 0 keeps the lateral subquery from being flattened into such a join.
            with transaction.atomic():
                # The row estimates of a thousand probes cross the JIT threshold; compiling costs more than the query.
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(
                    f"SELECT {columns} FROM unnest(%s::bigint[]) AS wanted(h), "
                    f"LATERAL (SELECT * FROM {table} WHERE {table}.hash = wanted.h OFFSET 0) AS {table}",
                    [hashes],
                )
                out.extend(cursor.fetchall())
        else:
            for part in _chunks(hashes, SQLITE_CHUNK):
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(f"SELECT {columns} FROM {table} WHERE hash IN ({marks})", part)
                out.extend(cursor.fetchall())
    return out


def _forget_unused(hashes: list[int]) -> None:
    with connection.cursor() as cursor:
        for part in _chunks(hashes, SQLITE_CHUNK):
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"DELETE FROM {STAT} WHERE docs <= 0 AND hash IN ({marks})", part)


class DatabaseStore:
    """The corpus one check may compare with: the library, and writings under `scope_path` outside `family`."""

    def __init__(self, *, scope_path: str, family: str) -> None:
        self.scope_path = scope_path
        self.family = family

    def stats(self, hashes: list[int]) -> dict[int, tuple[int, int]]:
        if not hashes:
            return {}
        rows = _select(STAT, f"{STAT}.hash, docs, library_docs", hashes)
        return {h: (d, lib) for h, d, lib in rows}

    def postings(self, hashes: list[int]) -> dict[int, list[tuple[int, int]]]:
        if not hashes:
            return {}
        rows = _select(FP, f"{FP}.hash, doc_id, pos", hashes)
        allowed = self._allowed({doc for _, doc, _ in rows})
        out: dict[int, list[tuple[int, int]]] = {}
        for h, doc, pos in rows:
            if doc in allowed:
                out.setdefault(h, []).append((doc, pos))
        return out

    def _allowed(self, doc_ids: set[int]) -> set[int]:
        allowed: set[int] = set()
        for part in _chunks(sorted(doc_ids), SQLITE_CHUNK):
            for pk, kind, family, path in CorpusDocument.objects.filter(pk__in=part).values_list(
                "pk", "kind", "family", "org__path"
            ):
                if family and family == self.family:
                    continue
                if kind == DocumentKind.LIBRARY or (path or "").startswith(self.scope_path):
                    allowed.add(pk)
        return allowed

    def texts(self, doc_ids: list[int]) -> dict[int, tuple[str, str]]:
        rows = CorpusDocument.objects.filter(pk__in=doc_ids).values_list("pk", "text", "normalized")
        return {pk: (text, norm) for pk, text, norm in rows}
