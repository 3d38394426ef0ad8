"""The only place that writes rectification items, their evidence, branch settings and the four checks.

An item moves open → (owner reports done with evidence) done → (secretary) verified, or back to
in_progress with a reason. Every step locks the row, so a repeated click finds the step taken and
changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Campaign
from pingyi.core import audit
from pingyi.org.models import OrgUnit, Person

from .evidence import check_upload
from .models import (
    DEFAULT_DAYS,
    OPEN_STATES,
    CheckEntry,
    Evidence,
    FourCheck,
    ItemSource,
    ItemStatus,
    RectificationItem,
    RectificationSettings,
    Scope,
)

MAX_FILES_PER_ITEM = 20
EDITABLE_FIELDS = ("title", "detail", "owner", "measures", "due_on")


def _settings(org: OrgUnit) -> RectificationSettings | None:
    """The nearest settings on the node or above it."""
    return RectificationSettings.objects.filter(org_id__in=org.ancestor_ids()).order_by("-org__depth").first()


def default_due_on(org: OrgUnit, campaign: Campaign | None) -> date:
    """A sensible deadline for a new item, which the secretary can change: the end of the campaign's
    rectification stage (the stage whose work items are rectification's) while at least a week of it is
    left, otherwise the branch's number of days (整改设置, 30 unless changed) from today."""
    today = timezone.localdate()
    if campaign is not None:
        stage = (
            campaign.stages.filter(
                work_items__rule__startswith="rectification.", ends_on__gte=today + timedelta(days=7)
            )
            .order_by("ends_on")
            .first()
        )
        if stage is not None:
            return stage.ends_on
    found = _settings(org)
    return today + timedelta(days=found.default_days if found else DEFAULT_DAYS)


@transaction.atomic
def create_item(
    *,
    org: OrgUnit,
    title: str,
    source: str = ItemSource.OTHER,
    source_label: str = "",
    campaign: Campaign | None = None,
    detail: str = "",
    owner: Person | None = None,
    measures: str = "",
    due_on: date | None = None,
    by: Any,
    is_demo: bool = False,
    source_record: str = "",
    suggested_owner: Person | None = None,
) -> RectificationItem:
    """A new item. To make one from another record, call item_from_record, which makes it once.
    Without a deadline it gets default_due_on's: every item has one, and its owner sees it from the start."""
    if not title.strip():
        raise ValidationError(_("请填写整改事项。"))
    if due_on is None:
        due_on = default_due_on(org, campaign)
    item = RectificationItem.objects.create(
        org=org,
        campaign=campaign,
        title=title.strip()[:200],
        detail=detail,
        source=source,
        source_label=source_label[:200],
        source_record=source_record,
        owner=owner,
        suggested_owner=suggested_owner,
        measures=measures,
        due_on=due_on,
        created_by=audit.user_of(by),
        is_demo=is_demo,
    )
    data = {"source": source, "record": source_record} if source_record else {"source": source}
    audit.record(actor=by, action="rectification.created", org=org, target=item, data=data)
    return item


def record_ref(record: models.Model) -> str:
    return f"{record._meta.label_lower}:{record.pk}"


@transaction.atomic
def item_from_record(
    *, record: models.Model, source: str, org: OrgUnit, title: str, by: Any, **fields: Any
) -> RectificationItem:
    """The one way to turn another record (an opinion, a commitment, a criticism, a feedback letter, a
    four-checks finding) into an item: made once per record, so a second call (a double click, or the
    same opinion reached from a meeting) returns the first item. The caller links its record to the
    returned item in the same transaction. `fields` are create_item's optional fields."""
    ref = record_ref(record)
    existing = RectificationItem.objects.filter(source_record=ref).first()
    if existing is not None:
        return existing
    return create_item(org=org, title=title, source=source, source_record=ref, by=by, **fields)


def _locked(item: RectificationItem) -> RectificationItem:
    return RectificationItem.objects.select_for_update(of=("self",)).select_related("org", "owner").get(pk=item.pk)


@transaction.atomic
def update_item(*, item: RectificationItem, by: Any, **fields: Any) -> RectificationItem:
    item = _locked(item)
    if item.status == ItemStatus.VERIFIED:
        raise ValidationError(_("整改事项已核实，不能再修改。"))
    changed = [name for name in EDITABLE_FIELDS if name in fields and getattr(item, name) != fields[name]]
    if not changed:
        return item
    for name in changed:
        setattr(item, name, fields[name])
    item.save(update_fields=[*changed, "updated_at"])
    audit.record(actor=by, action="rectification.updated", org=item.org, target=item, data={"fields": changed})
    return item


@dataclass(frozen=True)
class Outcome:
    item: RectificationItem
    changed: bool


@transaction.atomic
def report_done(*, item: RectificationItem, report: str, files: list[Any], by: Any) -> Outcome:
    """The owner (or the secretary for them) says the work is done, with what was done and any evidence."""
    item = _locked(item)
    if item.status in (ItemStatus.DONE, ItemStatus.VERIFIED):
        return Outcome(item, changed=False)  # a second click of the same report
    if not report.strip():
        raise ValidationError(_("请写明整改情况：做了什么、结果如何。"))
    photos_allowed = photo_evidence_allowed(item.org)
    checked = [check_upload(f, photos_allowed=photos_allowed) for f in files]
    if item.evidence.count() + len(checked) > MAX_FILES_PER_ITEM:
        raise ValidationError(_("每个整改事项最多上传 %(n)s 个佐证材料。") % {"n": MAX_FILES_PER_ITEM})
    user = audit.user_of(by)
    for upload in checked:
        Evidence.objects.create(
            item=item,
            kind=upload.kind,
            filename=upload.filename,
            content_type=upload.content_type,
            size=len(upload.content),
            content=upload.content,
            uploaded_by=user,
        )
    item.report = report.strip()
    item.reported_at = timezone.now()
    item.status = ItemStatus.DONE
    item.save(update_fields=["report", "reported_at", "status", "updated_at"])
    audit.record(actor=by, action="rectification.reported", org=item.org, target=item, data={"evidence": len(checked)})
    return Outcome(item, changed=True)


@transaction.atomic
def verify_item(*, item: RectificationItem, by: Any) -> Outcome:
    item = _locked(item)
    if item.status == ItemStatus.VERIFIED:
        return Outcome(item, changed=False)
    if item.status != ItemStatus.DONE:
        raise ValidationError(_("责任人尚未报告完成，不能核实。"))
    item.status = ItemStatus.VERIFIED
    item.verified_by = audit.user_of(by)
    item.verified_at = timezone.now()
    item.return_reason = ""
    item.save(update_fields=["status", "verified_by", "verified_at", "return_reason", "updated_at"])
    audit.record(actor=by, action="rectification.verified", org=item.org, target=item)
    return Outcome(item, changed=True)


@transaction.atomic
def return_item(*, item: RectificationItem, reason: str, by: Any) -> Outcome:
    """Send a reported item back to the owner; the reason tells them what is still missing."""
    item = _locked(item)
    if item.status in OPEN_STATES:
        if item.return_reason:  # a repeated click on the same return
            return Outcome(item, changed=False)
        raise ValidationError(_("责任人还没有报告完成，无需退回。"))
    if item.status != ItemStatus.DONE:
        raise ValidationError(_("整改事项已核实，不能退回。"))
    if not reason.strip():
        raise ValidationError(_("请写明退回原因，让责任人知道还差什么。"))
    item.status = ItemStatus.IN_PROGRESS
    item.return_reason = reason.strip()
    item.save(update_fields=["status", "return_reason", "updated_at"])
    audit.record(actor=by, action="rectification.returned", org=item.org, target=item)
    return Outcome(item, changed=True)


# An 11-digit mobile number or an 18-character ID number: personal data never goes on a public list.
_PERSONAL = re.compile(r"(?<!\d)(1\d{10}|\d{17}[\dXx])(?!\d)")


def check_publication(item: RectificationItem, scope: str, public_title: str, public_summary: str) -> tuple[str, str]:
    """What may go on the 边议边改 list, checked for the preview and for publishing alike."""
    if item.status != ItemStatus.VERIFIED:
        raise ValidationError(_("只有经核实的整改事项才能公开。"))
    if scope not in Scope.values:
        raise ValidationError(_("请选择公开范围。"))
    public_title, public_summary = public_title.strip(), public_summary.strip()
    if not public_title or not public_summary:
        raise ValidationError(_("请填写公开标题和整改结果。"))
    text = public_title + public_summary
    if _PERSONAL.search(text) or (item.owner and item.owner.name and item.owner.name in text):
        raise ValidationError(_("公开内容不能含有个人信息（姓名、电话、身份证号），请改写。"))
    return public_title, public_summary


@transaction.atomic
def publish_item(
    *, item: RectificationItem, scope: str, public_title: str, public_summary: str, by: Any
) -> RectificationItem:
    item = _locked(item)
    public_title, public_summary = check_publication(item, scope, public_title, public_summary)
    item.publish_scope = scope
    item.public_title = public_title[:200]
    item.public_summary = public_summary
    item.published_at = item.published_at or timezone.now()
    item.save(update_fields=["publish_scope", "public_title", "public_summary", "published_at", "updated_at"])
    audit.record(actor=by, action="rectification.published", org=item.org, target=item, data={"scope": scope})
    return item


@transaction.atomic
def unpublish_item(*, item: RectificationItem, by: Any) -> RectificationItem:
    item = _locked(item)
    if not item.publish_scope:
        return item
    item.publish_scope = ""
    item.published_at = None
    item.save(update_fields=["publish_scope", "published_at", "updated_at"])
    audit.record(actor=by, action="rectification.unpublished", org=item.org, target=item)
    return item


def photo_evidence_allowed(org: OrgUnit) -> bool:
    """The nearest setting on the node or above it; off when nobody has turned it on."""
    found = _settings(org)
    return bool(found and found.photo_evidence)


def default_days(org: OrgUnit) -> int:
    found = _settings(org)
    return found.default_days if found else DEFAULT_DAYS


@transaction.atomic
def set_photo_evidence(*, org: OrgUnit, enabled: bool, by: Any) -> RectificationSettings:
    return update_settings(org=org, photo_evidence=enabled, by=by)


@transaction.atomic
def update_settings(
    *, org: OrgUnit, by: Any, photo_evidence: bool | None = None, default_days: int | None = None
) -> RectificationSettings:
    """The node's own settings (a new row starts from what it inherits); one audit entry for what changed."""
    settings = RectificationSettings.objects.select_for_update().filter(org=org).first()
    if settings is None:
        inherited = _settings(org)
        settings = RectificationSettings.objects.create(
            org=org,
            photo_evidence=bool(inherited and inherited.photo_evidence),
            default_days=inherited.default_days if inherited else DEFAULT_DAYS,
        )
    if default_days is not None and not 1 <= default_days <= 366:
        raise ValidationError(_("默认完成时限须在 1 到 366 天之间。"))
    wanted = {"photo_evidence": photo_evidence, "default_days": default_days}
    changed = {k: v for k, v in wanted.items() if v is not None and getattr(settings, k) != v}
    if changed:
        for name, value in changed.items():
            setattr(settings, name, value)
        settings.save(update_fields=[*changed, "updated_at"])
        audit.record(actor=by, action="rectification.settings", org=org, target=settings, data=changed)
    return settings


# --- The four checks -----------------------------------------------------------------------------


@transaction.atomic
def create_check(*, org: OrgUnit, campaign: Campaign | None, title: str, by: Any, is_demo: bool = False) -> FourCheck:
    if not title.strip():
        raise ValidationError(_("请填写名称。"))
    check = FourCheck.objects.create(
        org=org, campaign=campaign, title=title.strip()[:120], created_by=audit.user_of(by), is_demo=is_demo
    )
    audit.record(actor=by, action="rectification.check_created", org=org, target=check)
    return check


def late_finding(promised: int | None, actual: int | None) -> str:
    """What the record itself says when a procedure took longer than promised."""
    if promised is None or actual is None or actual <= promised:
        return ""
    return _("实际用时%(actual)s个工作日，超过承诺时限%(promised)s个工作日。") % {
        "actual": actual,
        "promised": promised,
    }


@transaction.atomic
def add_check_entry(
    *,
    check: FourCheck,
    area: str,
    procedure: str,
    legal_basis: str = "",
    promised_days: int | None = None,
    actual_days: int | None = None,
    simplified: str = "no",
    finding: str = "",
    owner: Person | None = None,
    due_on: date | None = None,
    by: Any,
) -> CheckEntry:
    """One reviewed procedure. A finding (written, or a time limit the record shows was missed) becomes an item."""
    if not procedure.strip():
        raise ValidationError(_("请填写办事程序或服务承诺。"))
    finding = finding.strip() or late_finding(promised_days, actual_days)
    entry = CheckEntry.objects.create(
        check_run=check,
        area=area,
        procedure=procedure.strip()[:200],
        legal_basis=legal_basis.strip()[:200],
        promised_days=promised_days,
        actual_days=actual_days,
        simplified=simplified,
        finding=finding,
    )
    if finding:
        entry.rectification_item = item_from_record(
            record=entry,
            org=check.org,
            campaign=check.campaign,
            title=f"{entry.procedure}：{finding}"[:200],
            detail=finding,
            source=ItemSource.FOUR_CHECKS,
            source_label=f"{check.title} · {entry.get_area_display()}"[:200],
            owner=owner,
            due_on=due_on,
            by=by,
            is_demo=check.is_demo,
        )
        entry.save(update_fields=["rectification_item"])
    audit.record(
        actor=by,
        action="rectification.check_entry",
        org=check.org,
        target=entry,
        data={"finding": bool(finding)},
    )
    return entry


@transaction.atomic
def publish_check(*, check: FourCheck, by: Any) -> FourCheck:
    """Publish the reviewed procedures and their promised time limits (公开服务承诺); once."""
    check = FourCheck.objects.select_for_update().get(pk=check.pk)
    if check.published_at:
        return check
    if not check.entries.exists():
        raise ValidationError(_("还没有检查项，无法公开服务承诺。"))
    check.published_at = timezone.now()
    check.save(update_fields=["published_at"])
    audit.record(actor=by, action="rectification.check_published", org=check.org, target=check)
    return check
