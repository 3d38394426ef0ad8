"""The only place that writes stage summaries: each save is a new version; finalising marks one and closes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Stage
from pingyi.core import audit
from pingyi.core.models import Notification
from pingyi.core.notifications import notify
from pingyi.org.models import Person

from .models import StageSummary
from .selectors import overdue_recipients
from .summary import draft


@transaction.atomic
def save_summary(*, stage: Stage, notes: dict[str, str], by: Any, final: bool = False) -> StageSummary:
    """Keep the figures drafted from the record now, with the secretary's words, as the next version."""
    stage = Stage.objects.select_for_update(of=("self",)).select_related("campaign__org").get(pk=stage.pk)
    if stage.status == Stage.Status.PENDING:
        raise ValidationError(_("这个阶段还没有开始，不能写总结。"))
    if StageSummary.objects.filter(stage=stage, final=True).exists():
        raise ValidationError(_("这个阶段的总结已经定稿，不能再修改。"))
    campaign = stage.campaign
    sections = [section.as_dict() for section in draft(campaign, stage)]
    keys = {section["key"] for section in sections}
    number = (StageSummary.objects.filter(stage=stage).aggregate(last=Max("number"))["last"] or 0) + 1
    summary = StageSummary.objects.create(
        campaign=campaign,
        stage=stage,
        number=number,
        sections=sections,
        notes={key: text.strip() for key, text in notes.items() if key in keys and text.strip()},
        final=final,
        by=audit.user_of(by),
    )
    action = "reports.summary_final" if final else "reports.summary_saved"
    audit.record(actor=by, action=action, org=campaign.org, target=summary, data={"version": number})
    return summary


OVERDUE = "reports.overdue"  # the notice kind (notice_kinds.py)


@dataclass(frozen=True)
class Reminded:
    """What pressing "remind the overdue" did: reminded now, reminded earlier today, and the rest."""

    overdue: int  # people overdue on an item of the stage
    sent: int
    earlier: int  # already had today's reminder (pressed twice, or by a colleague)
    muted: int  # turned these reminders off
    no_login: int  # cannot be reached in the system: the secretary phones them

    @property
    def changed(self) -> bool:
        return self.sent > 0


@transaction.atomic
def remind_overdue(*, stage: Stage, by: Any) -> Reminded:
    """Send each person overdue on an item of the stage one notice naming the items; at most once a day."""
    campaign = stage.campaign
    late = overdue_recipients(campaign, stage)
    users = dict(Person.objects.filter(pk__in=late, user__is_active=True).values_list("pk", "user_id"))
    today = timezone.localdate()
    url = reverse("campaigns:detail", args=[campaign.pk])
    sent = 0
    for person_id, user_id in users.items():
        items = "、".join(late[person_id])
        body = _("“%(campaign)s”%(stage)s阶段，您有逾期未完成的事项：%(items)s。") % {
            "campaign": campaign.title, "stage": stage.name, "items": items,
        }  # fmt: skip
        sent += notify(users=[user_id], kind=OVERDUE, title=_("您有逾期事项"), body=body, url=url, day=today)
    had = Notification.objects.filter(kind=OVERDUE, day=today, recipient_id__in=users.values()).count()
    result = Reminded(
        overdue=len(late), sent=sent, earlier=had - sent, muted=len(users) - had, no_login=len(late) - len(users)
    )
    if sent:
        audit.record(
            actor=by,
            action="reports.reminded_overdue",
            org=campaign.org,
            target=stage,
            data={"sent": sent, "earlier": result.earlier, "no_login": result.no_login},
        )
    return result
