"""What an app's `personal_data` hook returns, and the helpers the hooks share (docs/privacy.md).

An app that stores data about a person provides `pingyi/<app>/personal_data.py` with:

    export(person) -> dict[str, list[dict]]     the person's records, by section, as JSON-able rows
    files(person) -> list[tuple[str, bytes]]    (optional) documents about them, by file name
    blockers(person) -> list[str]               (optional) why anonymising must wait (an open process)
    anonymise(person) -> dict[str, int]         clear what identifies or describes them; rows changed
    RETENTION: list[RetentionRule]              (optional) how long a kind of record keeps personal data

`anonymise` and the rules' `apply` run inside the privacy service's transaction, which writes the one
audit entry: they are service bodies, called from nowhere else. Counts and tallies must survive them:
rows stay, only the words and the links that say who someone is go.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

ERASED = "（已删除）"  # what a cleared text reads as, so a page never shows an unexplained blank


@dataclass(frozen=True)
class RetentionRule:
    """Personal data in one kind of record is cleared `default_days` after the record's own date.

    `apply(cutoff)` clears what is older than the cutoff and returns how many records it changed;
    settings.PERSONAL_DATA_RETENTION_DAYS[key] overrides the default (0 keeps the data for good).
    """

    key: str
    label: Any
    default_days: int
    apply: Callable[[dt.datetime], int]


def rows(records: QuerySet[Any] | Iterable[Model], *fields: str) -> list[dict[str, Any]]:
    """Rows as plain JSON values: dates as ISO strings, choices as stored."""
    if isinstance(records, QuerySet):
        values = list(records.values(*fields))
    else:
        values = [{f: getattr(r, f) for f in fields} for r in records]
    return json.loads(json.dumps(values, ensure_ascii=False, default=str))
