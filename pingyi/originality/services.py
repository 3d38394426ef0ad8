"""Writes of the originality app: index texts, run checks, import the library.

Contract with pingyi.writings:
    check_text(kind="writing", ref=version.pk, org=..., campaign=..., title=..., text=..., by=user) -> Job
indexes the text as a corpus document and enqueues its check; the job writes a Report
(selectors.report_for reads it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Max

from pingyi.core import audit
from pingyi.core.audit import user_of
from pingyi.core.jobs import enqueue
from pingyi.core.models import Job

from . import engine
from .conf import engine_settings
from .index import DatabaseStore, add_to_index, refresh_statistics
from .library import LibraryItem
from .models import CONTEXT, CorpusDocument, DocumentKind, Fingerprint, FingerprintStat, LibraryUpload, Report

if TYPE_CHECKING:
    from pingyi.campaigns.models import Campaign
    from pingyi.org.models import OrgUnit

CHECK_JOB = "originality.check"
IMPORT_JOB = "originality.import_library"
RECHECK_JOB = "originality.recheck"
ANALYZE_AFTER = 1000  # documents in one import after which the planner's statistics are refreshed


def _family(kind: str, ref: int) -> str:
    """Versions of one writing are one family: a resubmission is never a copy of the first draft."""
    if kind == DocumentKind.WRITING and apps.is_installed("pingyi.writings"):
        version_model = apps.get_model("writings", "WritingVersion")
        writing_id = version_model.objects.filter(pk=ref).values_list("writing_id", flat=True).first()
        if writing_id is not None:
            return f"writing:{writing_id}"
    return f"{kind}:{ref}"


def _document(*, kind: str, title: str, text: str, **fields: Any) -> CorpusDocument:
    normalized = engine.normalize_text(text)
    return CorpusDocument(
        kind=kind,
        title=title[:200],
        text=text,
        normalized=normalized,
        content_hash=hashlib.sha256(normalized.encode("utf-8")).hexdigest(),
        chars=len(normalized),
        **fields,
    )


@transaction.atomic
def index_text(
    *, kind: str, ref: int, org: OrgUnit, campaign: Campaign | None, title: str, text: str, by: Any
) -> CorpusDocument:
    """The corpus document for (kind, ref), indexed once: a repeated call returns the same one."""
    return _index(kind=kind, ref=ref, org=org, campaign=campaign, title=title, text=text, by=by)[0]


def _index(
    *, kind: str, ref: int, org: OrgUnit, campaign: Campaign | None, title: str, text: str, by: Any
) -> tuple[CorpusDocument, bool]:
    existing = CorpusDocument.objects.filter(kind=kind, ref=ref).first()
    if existing is not None:
        return existing, False
    doc = _document(
        kind=kind,
        ref=ref,
        family=_family(kind, ref),
        org=org,
        campaign=campaign,
        title=title,
        text=text,
        added_by=user_of(by),
    )
    try:
        with transaction.atomic():
            doc.save()
    except IntegrityError:  # the same version indexed at the same moment by a second request
        return CorpusDocument.objects.get(kind=kind, ref=ref), False
    add_to_index([doc], engine_settings())
    audit.record(actor=by, action="originality.indexed", org=org, target=doc, data={"kind": kind, "ref": ref})
    return doc, True


def check_text(*, kind: str, ref: int, org: OrgUnit, campaign: Campaign | None, title: str, text: str, by: Any) -> Job:
    """Index `text` as a corpus document and enqueue its check (the job writes a Report).

    Calling it again for the same (kind, ref) changes nothing and returns the first check's job.
    """
    with transaction.atomic():
        doc, created = _index(kind=kind, ref=ref, org=org, campaign=campaign, title=title, text=text, by=by)
        earlier = None if created else _check_job_of(doc)
        return earlier or enqueue(CHECK_JOB, by=by, org=org, document_id=doc.pk)


def _check_job_of(doc: CorpusDocument) -> Job | None:
    return Job.objects.filter(name=CHECK_JOB, params__document_id=doc.pk).order_by("-created_at").first()


def _scope_path(doc: CorpusDocument) -> str:
    """Writings under the campaign's node (the branch, its subtree, earlier campaigns there) are in scope."""
    campaign_org = doc.campaign.org if doc.campaign else None
    if campaign_org and doc.org and doc.org.path.startswith(campaign_org.path):
        return campaign_org.path
    return doc.org.path if doc.org else "/"


def _excerpt(text: str, start: int, end: int) -> dict[str, str]:
    return {
        "before": text[max(0, start - CONTEXT) : start],
        "text": text[start:end],
        "after": text[end : end + CONTEXT],
    }


def _source_entry(doc: CorpusDocument, share: engine.SourceShare) -> dict[str, Any]:
    org = doc.org
    return {
        "doc": doc.pk,
        "title": doc.title,
        "url": doc.source_url,
        "kind": doc.kind,
        "org": org.name if org else "",
        "chars": share.chars,
        "percent": share.percent,
    }


@transaction.atomic
def check_document(*, document: CorpusDocument, job: Job | None = None) -> Report:
    """Check one document against its scope and store the report."""
    cfg = engine_settings()
    store = DatabaseStore(scope_path=_scope_path(document), family=document.family)
    result = engine.check(document.text, store, cfg)
    repetition = engine.self_repetition(document.text, cfg)
    sources = {
        d.pk: d for d in CorpusDocument.objects.filter(pk__in=[s.source for s in result.sources]).select_related("org")
    }
    report = Report.objects.create(
        document=document,
        total_chars=result.total_chars,
        copied_chars=result.copied_chars,
        copied_percent=result.copied_percent,
        unquoted_percent=result.unquoted_percent,
        stock_chars=result.stock_chars,
        repeated_chars=repetition.repeated_chars,
        repeated_percent=repetition.percent,
        verdict=engine.verdict(result.unquoted_percent, cfg),
        threshold=cfg.threshold,
        library_size=CorpusDocument.objects.filter(kind=DocumentKind.LIBRARY).count(),
        sources=[_source_entry(sources[s.source], s) for s in result.sources],
        passages=[
            {
                "doc": p.source,
                "q_start": p.q_start,
                "q_end": p.q_end,
                "chars": p.chars,
                "quoted": p.quoted,
                "source": _excerpt(sources[p.source].text, p.s_start, p.s_end),
            }
            for p in result.passages
        ],
        job=job,
    )
    audit.record(
        actor=job.created_by if job else None,
        action="originality.checked",
        org=document.org,
        target=document,
        data={
            "report": report.pk,
            "copied": report.copied_percent,
            "unquoted": report.unquoted_percent,
            "repeated": report.repeated_percent,
        },
    )
    return report


@dataclass
class ImportResult:
    added: int = 0
    duplicates: int = 0


@transaction.atomic
def import_library(*, items: list[LibraryItem], org: OrgUnit | None, by: Any, is_demo: bool = False) -> ImportResult:
    """Add library texts (a text already in the library is skipped) and index them in one go."""
    result = ImportResult()
    new: list[CorpusDocument] = []
    docs = [
        _document(
            kind=DocumentKind.LIBRARY,
            title=item.title,
            text=item.text,
            source_url=item.source_url[:500],
            org=org,
            added_by=user_of(by),
            is_demo=is_demo,
        )
        for item in items
    ]
    hashes = [doc.content_hash for doc in docs]
    seen: set[str] = set()
    for start in range(0, len(hashes), 900):
        seen.update(
            CorpusDocument.objects.filter(
                kind=DocumentKind.LIBRARY, content_hash__in=hashes[start : start + 900]
            ).values_list("content_hash", flat=True)
        )
    for doc in docs:
        if doc.content_hash in seen or not doc.chars:
            result.duplicates += 1
            continue
        seen.add(doc.content_hash)
        new.append(doc)
    CorpusDocument.objects.bulk_create(new, batch_size=500)
    add_to_index(new, engine_settings())
    if len(new) >= ANALYZE_AFTER:
        refresh_statistics()
    result.added = len(new)
    if new:  # an import that adds nothing leaves no trace, like a roster re-import
        audit.record(
            actor=by,
            action="originality.library_imported",
            org=org,
            target="originality.library",
            data={"added": result.added, "duplicates": result.duplicates},
        )
    return result


@transaction.atomic
def remove_library_document(*, document: CorpusDocument, by: Any) -> None:
    locked = CorpusDocument.objects.select_for_update().filter(pk=document.pk).first()
    if locked is None:
        return  # removed a moment ago by a second click
    add_to_index([locked], engine_settings(), sign=-1)
    audit.record(
        actor=by,
        action="originality.library_removed",
        org=document.org,
        target=document,
        data={"title": document.title},
    )
    locked.delete()


def forget_writing_versions(*, version_ids: list[int]) -> int:
    """Take members' writings out of the corpus (a person's data erased, docs/privacy.md): their fingerprints
    leave the index and the statistics, their documents and reports go. Runs inside the caller's transaction,
    whose service writes the audit entry. Returns how many documents went."""
    docs = list(CorpusDocument.objects.select_for_update().filter(kind=DocumentKind.WRITING, ref__in=version_ids))
    if docs:
        add_to_index(docs, engine_settings(), sign=-1)
        CorpusDocument.objects.filter(pk__in=[d.pk for d in docs]).delete()
    return len(docs)


def upload_library(*, filename: str, data: bytes, title: str, source_url: str, org: OrgUnit, by: Any) -> Job:
    """Keep the uploaded file and enqueue its import (then a re-check of every writing)."""
    with transaction.atomic():
        upload = LibraryUpload.objects.create(
            filename=filename[:255], data=data, title=title, source_url=source_url, org=org, uploaded_by=user_of(by)
        )
        audit.record(
            actor=by, action="originality.library_uploaded", org=org, target=upload, data={"filename": filename}
        )
        return enqueue(IMPORT_JOB, by=by, org=org, upload_id=upload.pk)


def latest_writing_documents() -> list[int]:
    """The newest version of every writing: what a re-check covers."""
    latest = (
        CorpusDocument.objects.filter(kind=DocumentKind.WRITING)
        .values("family")
        .annotate(last=Max("id"))
        .values_list("last", flat=True)
    )
    return sorted(latest)


def recheck_writings(*, by: Any, progress: Callable[[int, int], None] | None = None) -> int:
    """Check every writing again (the library grew); one transaction per writing so progress shows."""
    ids = latest_writing_documents()
    for done, pk in enumerate(ids, start=1):
        check_document(document=CorpusDocument.objects.select_related("org", "campaign__org").get(pk=pk))
        if progress:
            progress(done, len(ids))
    audit.record(actor=by, action="originality.rechecked", target="originality.library", data={"writings": len(ids)})
    return len(ids)


def rebuild_index(*, by: Any, progress: Callable[[int, int], None] | None = None, batch: int = 2000) -> int:
    """Empty the index and fill it again from the stored texts (after ORIGINALITY_K or _W change)."""
    cfg = engine_settings()
    ids = list(CorpusDocument.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        Fingerprint.objects.all().delete()
        FingerprintStat.objects.all().delete()
        for start in range(0, len(ids), batch):
            add_to_index(
                CorpusDocument.objects.filter(pk__in=ids[start : start + batch]).only("pk", "kind", "normalized"), cfg
            )
            if progress:
                progress(min(start + batch, len(ids)), len(ids))
        audit.record(actor=by, action="originality.reindexed", target="originality.index", data={"documents": len(ids)})
    return len(ids)


def enqueue_recheck(*, org: OrgUnit, by: Any) -> Job:
    return enqueue(RECHECK_JOB, by=by, org=org)
