"""The only place that writes writings, their versions and reviews.

Autosaves of a draft are not audited: a browser saves every few seconds, and the audit log
records what others rely on (starting, uploading, submitting, returning, accepting).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Stage, WorkItem
from pingyi.core import audit
from pingyi.org.models import Person

from .models import COMPARISONS, KIND_OF_RULE, SECTIONS, Review, Writing, WritingKind, WritingVersion
from .permissions import capacity_of, is_author, may_review
from .text import MAX_CHARS, clean, compose, length_problem, read_upload, split_sections, word_count

COMPARISON_KEYS = [key for key, _label in COMPARISONS]
DEFAULT_TITLES = {WritingKind.REFLECTION: "学习心得", WritingKind.SELF_ANALYSIS: "个人党性分析材料"}


def _locked(writing: Writing) -> Writing:
    locked = Writing.objects.select_for_update().get(pk=writing.pk)
    # Keep the related objects the caller already fetched; the lock is on the writing row.
    for name in ("author", "campaign", "work_item"):
        setattr(locked, name, getattr(writing, name))
    return locked


def _require_author(writing: Writing, by: Any) -> None:
    if not is_author(by, writing):
        raise PermissionDenied


@transaction.atomic
def start_writing(*, work_item: WorkItem, author: Person, by: Any, is_demo: bool = False) -> Writing:
    """A new draft for a work item. A second click returns the untouched draft the first one made."""
    kind = KIND_OF_RULE.get(work_item.rule)
    if kind is None:
        raise ValidationError(_("这个工作事项不需要撰写文稿。"))
    if work_item.stage.status == Stage.Status.PENDING:
        raise ValidationError(_("“%(stage)s”尚未开始，暂不能撰写。") % {"stage": work_item.stage.name})
    campaign = work_item.stage.campaign
    if not author.org.is_within(campaign.org):
        raise PermissionDenied
    Person.objects.select_for_update().filter(pk=author.pk).first()  # two clicks at once make one draft
    mine = Writing.objects.filter(work_item=work_item, author=author)
    existing = mine.first() if kind == WritingKind.SELF_ANALYSIS else mine.filter(status="draft", text="").first()
    if existing:
        return existing
    writing = Writing.objects.create(
        campaign=campaign,
        work_item=work_item,
        author=author,
        kind=kind,
        title=DEFAULT_TITLES[kind],
        is_demo=is_demo,
    )
    audit.record(
        actor=by, action="writing.start", org=author.org, target=writing, data={"kind": kind, "item": work_item.code}
    )
    return writing


@dataclass(frozen=True)
class DraftSave:
    writing: Writing
    saved: bool  # False: nothing had changed, or a newer autosave was already stored
    at: datetime | None


def _content(
    writing: Writing, title: str, text: str, sections: dict[str, str] | None, comparisons: dict[str, Any] | None
) -> dict[str, Any]:
    title = " ".join(title.split())[:120] or DEFAULT_TITLES[WritingKind(writing.kind)]
    if writing.is_self_analysis:
        sections = {key: clean((sections or {}).get(key, "")) for key, _label in SECTIONS}
        comparisons = {
            key: {
                "checked": bool((comparisons or {}).get(key, {}).get("checked")),
                "note": " ".join(str((comparisons or {}).get(key, {}).get("note", "")).split())[:200],
            }
            for key, _label in COMPARISONS
        }
        text = compose(sections) if any(sections.values()) else ""
    else:
        sections, comparisons, text = {}, {}, clean(text)
    if len(text) > MAX_CHARS:
        raise ValidationError(_("正文太长（%(n)d 字符），不能超过 %(max)d。") % {"n": len(text), "max": MAX_CHARS})
    return {"title": title, "text": text, "sections": sections, "comparisons": comparisons}


def _not_editable(writing: Writing) -> ValidationError:
    return ValidationError(
        _("这份文稿%(status)s，不能再修改。") % {"status": writing.get_status_display()}, code="not_editable"
    )


@transaction.atomic
def save_draft(
    *,
    writing: Writing,
    by: Any,
    title: str,
    text: str = "",
    sections: dict[str, str] | None = None,
    comparisons: dict[str, Any] | None = None,
    seq: int | None = None,
    client: str = "",
) -> DraftSave:
    """Keep the draft. An autosave carries its page's `client` id and `seq`: a late, older save from
    the same page changes nothing (a newer one from that page is already stored)."""
    _require_author(writing, by)
    writing = _locked(writing)
    if not writing.editable:
        raise _not_editable(writing)
    client = client[:32]
    if seq is not None and client and client == writing.draft_client and seq < writing.draft_seq:
        return DraftSave(writing, False, writing.draft_saved_at)
    content = _content(writing, title, text, sections, comparisons)
    if seq is not None and client:
        writing.draft_client, writing.draft_seq = client, seq
    if all(getattr(writing, field) == value for field, value in content.items()):
        writing.save(update_fields=["draft_client", "draft_seq"])
        return DraftSave(writing, False, writing.draft_saved_at)
    for field, value in content.items():
        setattr(writing, field, value)
    writing.draft_saved_at = timezone.now()
    writing.save(update_fields=[*content, "draft_client", "draft_seq", "draft_saved_at"])
    return DraftSave(writing, True, writing.draft_saved_at)


@dataclass(frozen=True)
class Filled:
    writing: Writing
    headings_found: bool  # a self-analysis whose parts were recognised by their headings


@transaction.atomic
def fill_from_file(*, writing: Writing, by: Any, filename: str, data: bytes) -> Filled:
    """Replace the draft's text with an uploaded .docx/.txt; the file's name goes with the next submission."""
    _require_author(writing, by)
    uploaded = read_upload(filename, data)
    writing = _locked(writing)
    if not writing.editable:
        raise _not_editable(writing)
    found = True
    if writing.is_self_analysis:
        sections, found = split_sections(uploaded.text)
        content = _content(writing, writing.title, "", sections, writing.comparisons)
    else:
        content = _content(writing, writing.title, uploaded.text, None, None)
    for field, value in content.items():
        setattr(writing, field, value)
    writing.filename, writing.draft_saved_at = uploaded.filename, timezone.now()
    writing.save(update_fields=[*content, "filename", "draft_saved_at"])
    audit.record(
        actor=by,
        action="writing.upload",
        org=writing.author.org,
        target=writing,
        data={"filename": uploaded.filename, "chars": len(writing.text)},
    )
    return Filled(writing, found)


def body_words(writing: Writing) -> int:
    """The 字 a piece's length is judged by: the text, or a self-analysis's three parts without their headings."""
    if writing.is_self_analysis:
        return sum(word_count(part) for part in writing.sections.values())
    return word_count(writing.text)


def _check_complete(writing: Writing) -> None:
    problems = []
    if writing.is_self_analysis:
        for key, label in SECTIONS:
            if not writing.sections.get(key, "").strip():
                problems.append(_("请填写“%(part)s”。") % {"part": label})
        unticked = [str(label) for key, label in COMPARISONS if not writing.comparisons.get(key, {}).get("checked")]
        if unticked:
            problems.append(_("请完成“四个对照”，尚未勾选：%(items)s。") % {"items": "、".join(unticked)})
    elif not writing.text.strip():
        problems.append(_("正文是空的，请先写好再提交。"))
    if not problems:
        too_short_or_long = length_problem(writing.kind, body_words(writing))
        if too_short_or_long:
            problems.append(too_short_or_long)
    if problems:
        raise ValidationError(problems)


@dataclass(frozen=True)
class Submission:
    version: WritingVersion
    already: bool  # a repeated submit: nothing changed


def _is_leader(person: Person) -> bool:
    return bool(Person.objects.filter(pk=person.pk).with_post_flags().values_list("is_leader", flat=True).first())


@transaction.atomic
def submit_writing(*, writing: Writing, by: Any) -> Submission:
    """Keep the draft as a new version and send it for review; the originality check starts on commit."""
    _require_author(writing, by)
    writing = _locked(writing)
    latest = writing.versions.order_by("-number").first()
    if not writing.editable:
        if latest is None:  # cannot happen: a submitted writing has a version
            raise _not_editable(writing)
        return Submission(latest, True)
    _check_complete(writing)
    now = timezone.now()
    version = WritingVersion.objects.create(
        writing=writing,
        number=(latest.number if latest else 0) + 1,
        title=writing.title,
        text=writing.text,
        sections=writing.sections,
        comparisons=writing.comparisons,
        word_count=word_count(writing.text),
        filename=writing.filename,
        submitted_at=now,
        submitted_by=audit.user_of(by),
    )
    writing.status, writing.submitted_at, writing.filename = Writing.Status.SUBMITTED, now, ""
    writing.branch_ok = writing.supervision_ok = False
    writing.needs_supervision = writing.is_self_analysis and _is_leader(writing.author)
    writing.save(
        update_fields=["status", "submitted_at", "filename", "branch_ok", "supervision_ok", "needs_supervision"]
    )
    audit.record(
        actor=by,
        action="writing.submit",
        org=writing.author.org,
        target=writing,
        data={"version": version.number, "words": version.word_count, "filename": version.filename},
    )
    transaction.on_commit(lambda: _check_originality(writing, version, by))
    return Submission(version, False)


def _check_originality(writing: Writing, version: WritingVersion, by: Any) -> None:
    from pingyi.originality.services import check_text

    check_text(
        kind="writing",
        ref=version.pk,
        org=writing.author.org,
        campaign=writing.campaign,
        title=version.title,
        text=version.text,
        by=by,
    )


def save_and_submit(
    *,
    writing: Writing,
    by: Any,
    title: str,
    text: str = "",
    sections: dict[str, str] | None = None,
    comparisons: dict[str, Any] | None = None,
) -> Submission:
    """The editor's submit button: what is on screen is saved, then submitted.

    If the piece is incomplete the draft is still kept (nothing typed is lost) and the
    ValidationError says what is missing; any other failure rolls both back.
    A second press after the first went through changes nothing and returns the same version.
    """
    _require_author(writing, by)
    refused: ValidationError | None = None
    with transaction.atomic():
        writing = _locked(writing)
        if writing.editable:
            save_draft(writing=writing, by=by, title=title, text=text, sections=sections, comparisons=comparisons)
        try:
            with transaction.atomic():
                return submit_writing(writing=writing, by=by)
        except ValidationError as exc:
            refused = exc
    raise refused


def _current_version(writing: Writing, number: int | None) -> WritingVersion:
    latest = writing.versions.order_by("-number").first()
    if latest is None:
        raise ValidationError(_("这份文稿还没有提交过。"))
    if number is not None and number != latest.number:
        raise ValidationError(
            _("文稿已有新的一稿（第%(n)d稿），请看过新稿后再审阅。") % {"n": latest.number}, code="stale"
        )
    return latest


@transaction.atomic
def return_writing(*, writing: Writing, by: Any, version_number: int | None, comment: str) -> Review:
    """Send the piece back with comments. A repeated return of the same version by the same reviewer changes nothing."""
    if not may_review(by, writing):
        raise PermissionDenied
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("退回时请写明修改意见。"))
    writing = _locked(writing)
    version = _current_version(writing, version_number)
    mine = Review.objects.filter(version=version, by=by, decision=Review.Decision.RETURNED).first()
    if mine:
        return mine
    if writing.status not in (Writing.Status.SUBMITTED, Writing.Status.RETURNED):
        raise ValidationError(
            _("这份文稿%(status)s，不能退回。") % {"status": writing.get_status_display()}, code="wrong_state"
        )
    review = Review.objects.create(
        writing=writing,
        version=version,
        by=by,
        capacity=capacity_of(by, writing),
        decision=Review.Decision.RETURNED,
        comment=comment,
    )
    writing.status, writing.branch_ok, writing.supervision_ok = Writing.Status.RETURNED, False, False
    writing.save(update_fields=["status", "branch_ok", "supervision_ok"])
    audit.record(
        actor=by,
        action="writing.return",
        org=writing.author.org,
        target=writing,
        data={"version": version.number, "capacity": review.capacity},
    )
    return review


@transaction.atomic
def accept_writing(*, writing: Writing, by: Any, version_number: int | None, comment: str = "") -> Review:
    """Accept the current version. A leader's self-analysis is accepted once both the branch and the
    supervision group have accepted it; anything else on the first acceptance."""
    if not may_review(by, writing):
        raise PermissionDenied
    writing = _locked(writing)
    version = _current_version(writing, version_number)
    mine = Review.objects.filter(version=version, by=by, decision=Review.Decision.ACCEPTED).first()
    if mine:
        return mine
    if writing.status != Writing.Status.SUBMITTED:
        raise ValidationError(
            _("这份文稿%(status)s，不能再审阅通过。") % {"status": writing.get_status_display()}, code="wrong_state"
        )
    capacity = capacity_of(by, writing)
    review = Review.objects.create(
        writing=writing,
        version=version,
        by=by,
        capacity=capacity,
        decision=Review.Decision.ACCEPTED,
        comment=comment.strip(),
    )
    writing.branch_ok = writing.branch_ok or capacity != Review.Capacity.SUPERVISION
    writing.supervision_ok = writing.supervision_ok or capacity != Review.Capacity.BRANCH
    fields = ["branch_ok", "supervision_ok"]
    done = (writing.branch_ok and writing.supervision_ok) if writing.needs_supervision else True
    if done:
        writing.status, writing.accepted_at = Writing.Status.ACCEPTED, timezone.now()
        fields += ["status", "accepted_at"]
    writing.save(update_fields=fields)
    audit.record(
        actor=by,
        action="writing.accept",
        org=writing.author.org,
        target=writing,
        data={"version": version.number, "capacity": capacity, "accepted": done},
    )
    return review
