"""Category suggestions from keyword rules kept as data (Category.keywords), and likely duplicates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

from .models import Category, Opinion

_SPLIT = re.compile(r"[\s,，、;；]+")


def keywords_of(category: Category) -> list[str]:
    return [word for word in _SPLIT.split(category.keywords) if word]


def suggest_category(text: str, categories: Iterable[Category] | None = None) -> Category | None:
    """The category whose keywords occur most often in the text; ties go to the earlier category."""
    best, best_hits = None, 0
    for category in Category.objects.all() if categories is None else categories:
        hits = sum(text.count(word) for word in keywords_of(category))
        if hits > best_hits:
            best, best_hits = category, hits
    return best


def _normalised(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, _normalised(a), _normalised(b), autojunk=False).ratio()


DUPLICATE_THRESHOLD = 0.6


def likely_duplicates(opinion: Opinion, limit: int = 5) -> list[Opinion]:
    """Other live opinions of the same round that read much the same (a round holds hundreds, not millions)."""
    others = (
        Opinion.objects.filter(round_id=opinion.round_id)
        .exclude(pk=opinion.pk)
        .exclude(status="merged")
        .only("id", "text", "channel", "status", "created_at", "round_id")
    )
    scored = [(similarity(opinion.text, other.text), other) for other in others]
    found = [other for score, other in sorted(scored, key=lambda pair: -pair[0]) if score >= DUPLICATE_THRESHOLD]
    return found[:limit]
