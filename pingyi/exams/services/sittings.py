"""Sittings: a paper held in a window with a time limit; make-up sittings for those who missed one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.core import audit
from pingyi.org.models import Person

from ..models import MakeupSeat, Paper, Sitting

MAX_MINUTES = 600


def _check_window(opens_at: datetime, closes_at: datetime, time_limit: int) -> None:
    if closes_at <= opens_at:
        raise ValidationError(_("结束时间要晚于开始时间。"))
    if not 1 <= time_limit <= MAX_MINUTES:
        raise ValidationError(_("答题时限应在 1 到 %(n)d 分钟之间。") % {"n": MAX_MINUTES})


@transaction.atomic
def create_sitting(
    *,
    campaign: Campaign,
    paper: Paper,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    time_limit: int,
    by: Any,
    work_item: WorkItem | None = None,
    is_demo: bool = False,
) -> Sitting:
    title = title.strip() or paper.title
    _check_window(opens_at, closes_at, time_limit)
    if not campaign.org.is_within(paper.org):
        raise ValidationError(_("所选试卷不属于本组织。"))
    if work_item is not None and work_item.stage.campaign_id != campaign.pk:
        raise ValidationError(_("所选工作事项不属于本活动。"))
    sitting = Sitting.objects.create(
        org=campaign.org,
        campaign=campaign,
        work_item=work_item,
        paper=paper,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        time_limit=time_limit,
        created_by=audit.user_of(by),
        is_demo=is_demo,
    )
    audit.record(
        actor=by,
        action="exams.sitting_created",
        org=campaign.org,
        target=sitting,
        data={"paper": paper.code, "opens_at": opens_at, "closes_at": closes_at, "minutes": time_limit},
    )
    return sitting


@transaction.atomic
def create_makeup(
    *,
    sitting: Sitting,
    seats: Sequence[tuple[Person, str]],
    opens_at: datetime,
    closes_at: datetime,
    time_limit: int,
    by: Any,
    is_demo: bool = False,
) -> Sitting:
    """A make-up sitting of the same paper for members who did not sit `sitting`, each with the reason."""
    _check_window(opens_at, closes_at, time_limit)
    if sitting.makeup_of_id:
        sitting = sitting.makeup_of  # type: ignore[assignment]
    if not seats:
        raise ValidationError(_("请至少选一名缺考的党员。"))
    if any(not reason.strip() for _p, reason in seats):
        raise ValidationError(_("请写明每个人缺考的原因。"))
    sat = set(sitting.sheets.filter(submitted_at__isnull=False).values_list("person_id", flat=True))
    already = [p.name for p, _r in seats if p.pk in sat]
    if already:
        raise ValidationError(_("%(names)s 已经参加了考试，不需要补考。") % {"names": "、".join(already)})
    number = sitting.makeups.count() + 1
    makeup = Sitting.objects.create(
        org=sitting.org,
        campaign=sitting.campaign,
        work_item=sitting.work_item,
        paper=sitting.paper,
        title=_("%(title)s（补考%(n)d）") % {"title": sitting.title, "n": number},
        opens_at=opens_at,
        closes_at=closes_at,
        time_limit=time_limit,
        makeup_of=sitting,
        created_by=audit.user_of(by),
        is_demo=is_demo,
    )
    MakeupSeat.objects.bulk_create(MakeupSeat(sitting=makeup, person=p, reason=r.strip()[:200]) for p, r in seats)
    audit.record(
        actor=by,
        action="exams.makeup_created",
        org=sitting.org,
        target=makeup,
        data={"of": sitting.pk, "people": sorted(p.pk for p, _r in seats)},
    )
    return makeup
