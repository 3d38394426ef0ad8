"""The only place that writes campaigns, stages, look-back checks and reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core import audit
from pingyi.org.models import OrgUnit, Person, PersonKind

from .models import Campaign, CampaignTemplate, Excusal, LookBackItem, Stage, StageReview, WorkItem
from .spec import parse_template


@transaction.atomic
def create_campaign(
    *, org: OrgUnit, template: CampaignTemplate, title: str, starts_on: date, by: Any, is_demo: bool = False
) -> Campaign:
    """Build the campaign's stages back to back from the template and open the first one.

    A second identical submission (same node, template, title and start) returns the
    campaign the first one made; the node row is locked so two at once cannot both create.
    """
    spec = parse_template(template.body)
    OrgUnit.objects.select_for_update().filter(pk=org.pk).first()
    title = title.strip() or template.name
    existing = Campaign.objects.filter(org=org, template=template, title=title, starts_on=starts_on).first()
    if existing:
        return existing
    campaign = Campaign.objects.create(
        org=org, template=template, title=title, starts_on=starts_on, created_by=audit.user_of(by), is_demo=is_demo
    )
    start = starts_on
    for order, stage_spec in enumerate(spec.stages, start=1):
        ends = start + timedelta(days=stage_spec.days - 1)
        stage = Stage.objects.create(
            campaign=campaign,
            order=order,
            code=stage_spec.code,
            name=stage_spec.name,
            translations=stage_spec.translations,
            starts_on=start,
            ends_on=ends,
            status=Stage.Status.OPEN if order == 1 else Stage.Status.PENDING,
        )
        WorkItem.objects.bulk_create(
            WorkItem(
                stage=stage,
                order=n,
                code=item.code,
                name=item.name,
                hint=item.hint,
                translations=item.translations,
                required=item.required,
                audience=item.audience,
                actors=item.actors,
                rule=item.rule,
                params=item.params,
                due_on=start + timedelta(days=item.due_day - 1) if item.due_day else ends,
            )
            for n, item in enumerate(stage_spec.work_items, start=1)
        )
        lines = zip(stage_spec.lookback, stage_spec.lookback_translations, strict=True)
        LookBackItem.objects.bulk_create(
            LookBackItem(stage=stage, order=n, text=text, translations={k: {"text": v} for k, v in others.items()})
            for n, (text, others) in enumerate(lines, start=1)
        )
        start = ends + timedelta(days=1)
    audit.record(
        actor=by,
        action="campaign.create",
        org=org,
        target=campaign,
        data={"template": template.code, "title": title, "starts_on": starts_on.isoformat()},
    )
    return campaign


@transaction.atomic
def check_lookback_item(*, item: LookBackItem, by: Any, note: str = "") -> LookBackItem:
    item = _locked_lookback(item)
    if item.checked:
        return item
    item.checked_by, item.checked_at, item.note = audit.user_of(by), timezone.now(), note.strip()
    item.save(update_fields=["checked_by", "checked_at", "note"])
    audit.record(
        actor=by, action="campaign.lookback.check", org=item.stage.campaign.org, target=item, data={"note": note}
    )
    return item


@transaction.atomic
def uncheck_lookback_item(*, item: LookBackItem, by: Any) -> LookBackItem:
    item = _locked_lookback(item)
    if not item.checked:
        return item
    item.checked_by, item.checked_at, item.note = None, None, ""
    item.save(update_fields=["checked_by", "checked_at", "note"])
    audit.record(actor=by, action="campaign.lookback.uncheck", org=item.stage.campaign.org, target=item)
    return item


def _locked_lookback(item: LookBackItem) -> LookBackItem:
    """Lock the stage first, as sign-off does, so a tick and a sign-off cannot interleave."""
    stage = Stage.objects.select_for_update(of=("self",)).select_related("campaign__org").get(pk=item.stage_id)
    if stage.status != Stage.Status.OPEN:
        raise ValidationError(_("“%(stage)s”不在进行中，回头看检查项不能再修改。") % {"stage": stage.label})
    locked = LookBackItem.objects.get(pk=item.pk)
    locked.stage = stage
    return locked


@dataclass(frozen=True)
class SignOff:
    stage: Stage
    opened: Stage | None  # the next stage, now open
    campaign_closed: bool
    already_done: bool  # a repeated submit: nothing changed
    audit_head: str = ""  # the audit chain's head at the sign-off, ID:HASH, for the signed papers and the level above


@transaction.atomic
def sign_off_stage(*, stage: Stage, by: Any) -> SignOff:
    """Close a stage whose look-back is complete and open the next; the last one closes the campaign."""
    stage = Stage.objects.select_for_update(of=("self",)).select_related("campaign__org").get(pk=stage.pk)
    if stage.status == Stage.Status.CLOSED:
        return SignOff(stage=stage, opened=None, campaign_closed=False, already_done=True)
    if stage.status == Stage.Status.PENDING:
        raise ValidationError(_("“%(stage)s”尚未开始，不能签字确认。") % {"stage": stage.label})
    unchecked = list(stage.lookback_items.filter(checked_at__isnull=True).values_list("text", flat=True))
    if unchecked:
        raise ValidationError(
            _("回头看还有 %(count)d 项未勾选，不能签字确认：%(items)s")
            % {"count": len(unchecked), "items": "；".join(unchecked)}
        )
    stage.status, stage.signed_off_by, stage.signed_off_at = Stage.Status.CLOSED, audit.user_of(by), timezone.now()
    stage.save(update_fields=["status", "signed_off_by", "signed_off_at"])
    campaign = stage.campaign
    following = campaign.stages.filter(order__gt=stage.order).order_by("order").first()
    if following:
        following.status = Stage.Status.OPEN
        following.save(update_fields=["status"])
    else:
        campaign.status, campaign.closed_at = Campaign.Status.CLOSED, timezone.now()
        campaign.save(update_fields=["status", "closed_at"])
    entry = audit.record(
        actor=by,
        action="campaign.stage.sign_off",
        org=campaign.org,
        target=stage,
        data={"stage": stage.code, "opened": following.code if following else None},
    )
    # The head leaves the database here: a later rebuild of the chain before this point is detectable.
    audit.anchor(entry, reason=f"campaign.stage.sign_off:{stage.pk}")
    return SignOff(
        stage=stage,
        opened=following,
        campaign_closed=following is None,
        already_done=False,
        audit_head=f"{entry.pk}:{entry.hash}",
    )


@transaction.atomic
def review_stage(*, stage: Stage, by: Any, rating: str, comment: str) -> StageReview:
    """The reviewer's rating of a stage; submitting again revises it rather than adding a second."""
    stage = Stage.objects.select_for_update(of=("self",)).select_related("campaign__org").get(pk=stage.pk)
    if stage.status == Stage.Status.PENDING:
        raise ValidationError(_("“%(stage)s”尚未开始，暂不能评价。") % {"stage": stage.label})
    rating = StageReview.Rating(rating)
    comment = comment.strip()
    review = StageReview.objects.filter(stage=stage, by=by).first()
    if review and (review.rating, review.comment) == (rating, comment):
        return review
    before = review.rating if review else None
    if review is None:
        review = StageReview(stage=stage, by=by)
    review.rating, review.comment = rating, comment
    review.save()
    audit.record(
        actor=by,
        action="campaign.stage.review",
        org=stage.campaign.org,
        target=stage,
        data={"rating": rating.value, "before": before},
    )
    return review


@transaction.atomic
def excuse(*, campaign: Campaign, person: Person, reason: str, by: Any, work_item: WorkItem | None = None) -> Excusal:
    """Record that the campaign does not hold a member to a work item (or to any, without one), and why:
    their progress shows "不作要求" with the reason instead of counting them as behind. Once per item."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("请写明原因，例如长期外出、年老体弱。"))
    if not person.org.is_within(campaign.org) or person.kind != PersonKind.MEMBER:
        raise ValidationError(_("只能为本组织的党员登记。"))
    if work_item is not None and work_item.stage.campaign_id != campaign.pk:
        raise ValidationError(_("这项工作不属于本次活动。"))
    excusal, created = Excusal.objects.get_or_create(
        campaign=campaign,
        person=person,
        work_item=work_item,
        defaults={"reason": reason[:200], "by": audit.user_of(by)},
    )
    if created:
        audit.record(
            actor=by,
            action="campaign.excuse",
            org=campaign.org,
            target=excusal,
            data={"person": person.pk, "work_item": work_item.pk if work_item else None, "reason": excusal.reason},
        )
    return excusal


@transaction.atomic
def withdraw_excusal(*, excusal: Excusal, by: Any) -> None:
    """The member is held to the work again; a second withdrawal finds nothing and changes nothing."""
    deleted, _rows = Excusal.objects.filter(pk=excusal.pk).delete()
    if deleted:
        audit.record(
            actor=by,
            action="campaign.excuse_withdraw",
            org=excusal.campaign.org,
            target=f"campaigns.excusal:{excusal.pk}",
            data={"person": excusal.person_id, "work_item": excusal.work_item_id},
        )
