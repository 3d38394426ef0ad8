"""Writing many rows fast: COPY on PostgreSQL, batched INSERTs elsewhere, with the primary keys chosen here.

The synthetic seed needs the keys up front to link a million people to their writings without reading
anything back, so it takes the next free ids itself and moves each sequence past them afterwards. This
assumes nothing else inserts into these tables while the seed runs (it is a tool for a benchmark or a
scratch database); a clash would fail on the primary key, not corrupt anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import Max

SQLITE_BATCH = 500


class Table:
    """A model's table: its columns in order, and the default of every column a row leaves out."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        self.name = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{self.name}: no such columns {sorted(unknown)}")
        self.given = list(columns)
        self.rest = [name for name in fields if name not in columns]
        self.defaults = tuple(fields[name].get_default() for name in self.rest)
        self.fields = [fields[name] for name in self.given + self.rest]
        # COPY takes JSON as its text; the other databases get each value through its field
        self.json = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        self.columns = [str(f.column) for f in self.fields]
        self.next_id = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def take_ids(self, n: int) -> int:
        """The first of `n` fresh primary keys."""
        first = self.next_id
        self.next_id += n
        return first

    def full(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        return row + self.defaults

    def for_copy(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row + self.defaults)
        for i in self.json:
            values[i] = json.dumps(values[i], ensure_ascii=False)
        return tuple(values)


def write(table: Table, rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert `rows` (values of table.given, in order); returns how many."""
    count = 0
    columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3: COPY is ten times the speed of INSERT for a million rows
            with raw.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(table.for_copy(row))
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(table.columns))
        sql = f"INSERT INTO {table.name} ({columns}) VALUES ({marks})"
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(
                tuple(f.get_db_prep_save(v, connection) for f, v in zip(table.fields, table.full(row), strict=True))
            )
            count += 1
            if len(batch) >= SQLITE_BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    return count


def move_sequences(tables: Iterable[Table]) -> None:
    """Let the database's own inserts continue after the ids the seed took."""
    if connection.vendor != "postgresql":
        return  # SQLite's rowid continues after the largest key by itself
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(%s, 1), %s)",
                [table.name, table.next_id - 1, table.next_id > 1],
            )
