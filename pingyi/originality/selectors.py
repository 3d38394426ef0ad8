"""Reads of the originality app."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from .models import CorpusDocument, DocumentKind, Report


def report_for(kind: str, ref: int) -> Report | None:
    """The newest report of a corpus document, or None while its first check runs."""
    return (
        Report.objects.filter(document__kind=kind, document__ref=ref)
        .select_related("document")
        .order_by("-created_at", "-id")
        .first()
    )


def library_page(page_number: str | None, query: str = "") -> Page:
    docs = CorpusDocument.objects.filter(kind=DocumentKind.LIBRARY).only(
        "pk", "title", "source_url", "chars", "added_at", "is_demo"
    )
    if query:
        docs = docs.filter(title__icontains=query)
    return Paginator(docs, 50).get_page(page_number)


def library_size() -> int:
    return CorpusDocument.objects.filter(kind=DocumentKind.LIBRARY).count()


def marked_text(report: Report) -> list[tuple[str, int | None]]:
    """The checked text cut into (piece, passage number or None), so the page can mark copied pieces."""
    text = report.document.text
    pieces: list[tuple[str, int | None]] = []
    at = 0
    for number, passage in enumerate(report.passages, start=1):
        start, end = max(passage["q_start"], at), passage["q_end"]
        if end <= start:
            continue
        pieces.append((text[at:start], None))
        pieces.append((text[start:end], number))
        at = end
    pieces.append((text[at:], None))
    return [(piece, number) for piece, number in pieces if piece]


def latest_verdicts(kind: str, refs: list[int]) -> dict[int, str]:
    """The newest report's verdict for each checked document (refs without a report yet are left out)."""
    found: dict[int, str] = {}
    rows = Report.objects.filter(document__kind=kind, document__ref__in=refs).order_by(
        "document__ref", "created_at", "id"
    )
    for ref, verdict in rows.values_list("document__ref", "verdict"):
        if ref is not None:
            found[ref] = verdict  # ordered oldest first, so the newest wins
    return found
