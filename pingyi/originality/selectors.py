"""Reads of the originality app."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _

from pingyi.org.permissions import Cap, can

from .models import CorpusDocument, DocumentKind, Report


def report_for(kind: str, ref: int) -> Report | None:
    """The newest report of a corpus document, or None while its first check runs."""
    return (
        Report.objects.filter(document__kind=kind, document__ref=ref)
        .select_related("document")
        .order_by("-created_at", "-id")
        .first()
    )


def latest_reports(kind: str, refs: Iterable[int]) -> dict[int, Report]:
    """The newest report of each corpus document (kind, ref), in one query: ref -> report."""
    found: dict[int, Report] = {}
    rows = (
        Report.objects.filter(document__kind=kind, document__ref__in=list(refs))
        .select_related("document")
        .order_by("document_id", "-created_at", "-id")
    )
    for report in rows:
        ref = report.document.ref
        if ref is not None and ref not in found:
            found[ref] = report
    return found


@dataclass
class ShownReport:
    """A report as one viewer may see it. Reviewers see every source; an author sees that a passage
    matches another writing of the branch, but not that member's text, title or name (their own other
    writings and the library they see in full)."""

    report: Report
    sources: list[dict[str, Any]]
    passage_rows: list[dict[str, Any]]
    withheld: int  # sources shown only as "another writing"


def shown_report(report: Report | None, user: Any) -> ShownReport | None:
    if report is None:
        return None
    document = report.document
    if document.org is None or can(user, Cap.REVIEW_WRITINGS, document.org):
        return ShownReport(report, report.sources, report.passage_rows, 0)
    others = _others_writings(report, user)
    anonymous = _("本组织另一篇文稿")
    sources = [
        {**s, "title": anonymous, "url": "", "org": "", "withheld": True} if s["doc"] in others else s
        for s in report.sources
    ]
    rows = []
    for row in report.passage_rows:
        if row["doc"] in others:
            row = {
                **row,
                "source": {"before": "", "text": "", "after": ""},
                "source_pieces": [],
                "source_info": {"title": anonymous, "withheld": True},
            }
        rows.append(row)
    return ShownReport(report, sources, rows, len(others))


def _others_writings(report: Report, user: Any) -> set[int]:
    """The report's sources that are writings by someone other than the viewer."""
    ids = [s["doc"] for s in report.sources if s.get("kind") == DocumentKind.WRITING]
    if not ids:
        return set()
    owners = CorpusDocument.objects.filter(pk__in=ids).values_list("pk", "added_by_id")
    return {pk for pk, owner in owners if owner is None or owner != getattr(user, "pk", None)}


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
