"""Reads of the originality app."""

from typing import Any


def report_for(kind: str, ref: int) -> Any:
    """The latest report of a corpus document, or None while it is being checked."""
    return None
