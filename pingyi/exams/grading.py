"""Grading an answer: pure functions, so a paper of 100 answers grades without touching the database."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from .models import Kind

_SPACE = re.compile(r"\s+")
_EDGE_PUNCTUATION = "。.，,；;！!？?、"


def normalise(text: str) -> str:
    """Full-width and half-width forms the same (NFKC: ＡＢＣ１２３ → ABC123), spaces gone, case folded."""
    text = unicodedata.normalize("NFKC", text or "")
    return _SPACE.sub("", text).strip(_EDGE_PUNCTUATION).casefold()


def choice_ids(response: str) -> frozenset[int]:
    return frozenset(int(part) for part in response.split(",") if part.strip().isdigit())


def encode_choices(ids: Iterable[int]) -> str:
    return ",".join(str(i) for i in sorted(set(ids)))


def grade(
    kind: str, response: str, *, correct_ids: Sequence[int], accepted: Sequence[str], points: int
) -> tuple[int | None, bool | None]:
    """(points, correct) for an objective answer; (None, None) for a short answer, graded by hand."""
    if kind == Kind.SHORT:  # an empty short answer needs nobody to read it
        return (None, None) if response.strip() else (0, False)
    if kind == Kind.FILL:
        given = normalise(response)
        ok = bool(given) and given in {normalise(a) for a in accepted}
    else:
        ok = bool(correct_ids) and choice_ids(response) == frozenset(correct_ids)
    return (points if ok else 0), ok
