"""The office's handling of each opinion: categorise, answer, merge duplicates, turn into a rectification item."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core import audit
from pingyi.org.models import Person
from pingyi.rectification import services as rectification

from ..models import (
    Category,
    Opinion,
    OpinionStatus,
)
from .rounds import clean_text

if TYPE_CHECKING:
    from pingyi.rectification.models import RectificationItem


def lock_opinion(opinion: Opinion) -> Opinion:
    return Opinion.objects.select_for_update(of=("self",)).select_related("round__org").get(pk=opinion.pk)


@transaction.atomic
def categorise_opinion(
    *,
    opinion: Opinion,
    category: Category | None,
    by: Any,
    topic: str = "",
    concerns_person: Person | None = None,
    concerns_unit: str = "",
) -> Opinion:
    opinion = lock_opinion(opinion)
    if opinion.status == OpinionStatus.MERGED:
        raise ValidationError(_("这条意见已并入另一条，请处理那一条。"))
    opinion.category = category
    opinion.topic = topic
    opinion.concerns_person = concerns_person
    opinion.concerns_unit = concerns_unit.strip()
    if opinion.status == OpinionStatus.NEW:
        opinion.status = OpinionStatus.CATEGORISED
    opinion.save(update_fields=["category", "topic", "concerns_person", "concerns_unit", "status"])
    audit.record(
        actor=by,
        action="opinions.categorised",
        org=opinion.round.org,
        target=opinion,
        data={"category": category.name if category else "", "topic": topic},
    )
    return opinion


@transaction.atomic
def answer_opinion(*, opinion: Opinion, answer: str, by: Any, decline: bool = False) -> Opinion:
    """Record the answer given to whoever raised it; with `decline`, the answer is the reason the opinion is
    not taken up, so every opinion ends with an outcome on record (answered, merged, an item, or declined)."""
    opinion = lock_opinion(opinion)
    answer = clean_text(answer)
    if not answer:
        raise ValidationError(_("请写明不予采纳的理由") if decline else _("请填写答复内容"))
    if opinion.status == OpinionStatus.MERGED:
        raise ValidationError(_("这条意见已并入另一条，请答复那一条。"))
    status = OpinionStatus.DECLINED if decline else OpinionStatus.ANSWERED
    if opinion.answer == answer and opinion.status == status:
        return opinion  # the same answer sent twice
    opinion.answer = answer
    opinion.answered_by = audit.user_of(by)
    opinion.answered_at = timezone.now()
    opinion.status = status
    opinion.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    action = "opinions.declined" if decline else "opinions.answered"
    audit.record(actor=by, action=action, org=opinion.round.org, target=opinion)
    return opinion


@transaction.atomic
def merge_opinions(*, primary: Opinion, duplicates: Iterable[Opinion], by: Any) -> int:
    """Fold duplicates into `primary`; they keep their text and source but are handled through it."""
    primary = lock_opinion(primary)
    if primary.status == OpinionStatus.MERGED:
        raise ValidationError(_("不能并入一条已经被合并的意见。"))
    ids = [d.pk for d in duplicates if d.pk != primary.pk]
    others = list(Opinion.objects.select_for_update().filter(pk__in=ids))
    if any(o.round_id != primary.round_id for o in others):
        raise ValidationError(_("只能合并同一轮征求意见中的意见。"))
    merged = 0
    for other in others:
        if other.status == OpinionStatus.MERGED and other.merged_into_id == primary.pk:
            continue
        # Anything already folded into the duplicate moves up to the primary.
        Opinion.objects.filter(merged_into=other).update(merged_into=primary)
        other.status = OpinionStatus.MERGED
        other.merged_into = primary
        other.save(update_fields=["status", "merged_into"])
        merged += 1
    if merged:
        audit.record(actor=by, action="opinions.merged", org=primary.round.org, target=primary, data={"merged": ids})
    return merged


@transaction.atomic
def turn_into_rectification(*, opinion: Opinion, by: Any) -> RectificationItem:
    """One click: an item in the rectification list, linked from the opinion in the same transaction."""
    opinion = lock_opinion(opinion)
    if opinion.rectification_item is not None:
        return opinion.rectification_item  # a second click finds the item the first one made
    if opinion.status == OpinionStatus.MERGED:
        raise ValidationError(_("这条意见已并入另一条，请从那一条转为整改事项。"))
    round_ = opinion.round
    item = rectification.item_from_record(
        record=opinion,
        org=round_.org,
        campaign=round_.campaign,
        title=opinion.text.splitlines()[0][:60],
        detail=opinion.text,
        source=rectification.ItemSource.OPINION,
        source_label=f"{round_.title} · {opinion.get_channel_display()}",
        suggested_owner=opinion.concerns_person,
        by=by,
    )
    _link(opinion, item)
    return item


def _link(opinion: Opinion, item: RectificationItem) -> None:
    opinion.rectification_item = item
    opinion.save(update_fields=["rectification_item"])
    Opinion.objects.filter(merged_into=opinion).update(rectification_item=item)


@transaction.atomic
def link_rectification(*, opinion_id: int, item: RectificationItem) -> None:
    """Point an opinion (and those merged into it) at an item made from the same words elsewhere, e.g. the
    criticism at a life meeting that the opinion records; an opinion already linked keeps its item."""
    opinion = Opinion.objects.select_for_update(of=("self",)).filter(pk=opinion_id).first()
    if opinion is not None and not opinion.rectification_item_id:
        _link(opinion, item)
