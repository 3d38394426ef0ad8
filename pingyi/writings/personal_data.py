"""Writings: the member's own texts, every submitted version, and the reviewers' comments on them."""

from __future__ import annotations

from typing import Any

from pingyi.core.personal import ERASED, rows
from pingyi.originality import services as originality

from .models import Review, Writing, WritingVersion


def export(person: Any) -> dict[str, list[dict[str, Any]]]:
    writings = Writing.objects.filter(author=person)
    return {
        "writings": rows(
            writings,
            "id",
            "campaign__title",
            "kind",
            "title",
            "status",
            "text",
            "sections",
            "comparisons",
            "created_at",
            "submitted_at",
            "accepted_at",
        ),
        "writing_versions": rows(
            WritingVersion.objects.filter(writing__author=person),
            "writing_id",
            "number",
            "title",
            "text",
            "word_count",
            "submitted_at",
        ),
        "reviews": rows(Review.objects.filter(writing__author=person), "writing_id", "decision", "comment", "at"),
    }


def files(person: Any) -> list[tuple[str, bytes]]:
    """Each writing's latest text, as the member wrote it, one .txt file each."""
    found = []
    for writing in Writing.objects.filter(author=person).order_by("id"):
        found.append((f"writings/{writing.pk}-{writing.kind}.txt", f"{writing.title}\n\n{writing.text}".encode()))
    return found


def anonymise(person: Any) -> dict[str, int]:
    """Statuses and word counts stay (the campaign's counts hold); the texts and comments go, and so do the
    copies the originality index keeps of them (no later check finds them as a source)."""
    versions = list(WritingVersion.objects.filter(writing__author=person).values_list("pk", flat=True))
    return {
        "originality_documents": originality.forget_writing_versions(version_ids=versions),
        "writings": Writing.objects.filter(author=person).update(
            text="", sections={}, comparisons={}, filename="", title=ERASED
        ),
        "writing_versions": WritingVersion.objects.filter(pk__in=versions).update(
            text="", sections={}, comparisons={}, filename="", title=ERASED
        ),
        "reviews": Review.objects.filter(writing__author=person).exclude(comment="").update(comment=ERASED),
    }
