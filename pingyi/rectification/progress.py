"""Work-item progress from rectification records (see campaigns/progress.py and the campaign templates)."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import NODE, Report, register_rule
from pingyi.org.models import Person

from .models import FourCheck, ItemStatus, RectificationItem


@register_rule("rectification.personal_plan_done", _("个人整改事项已核实"), url_name="rectification:campaign")
def personal_plan_done(item: WorkItem, people: QuerySet[Person]) -> Report:
    """制定并落实: the member owns at least one item of the campaign with measures, and every one is verified."""
    rows = (
        RectificationItem.objects.filter(campaign_id=item.stage.campaign_id, owner__in=people)
        .values("owner")
        .annotate(
            total=Count("pk"),
            verified=Count("pk", filter=Q(status=ItemStatus.VERIFIED)),
            planned=Count("pk", filter=~Q(measures="")),
            last=Max("verified_at"),
        )
    )
    done = {r["owner"] for r in rows if r["total"] == r["verified"] and r["planned"] > 0}
    left = {
        r["owner"]: _left_to_verify(r["total"] - r["verified"]) if r["planned"] else str(_("整改事项还未写明措施"))
        for r in rows
        if r["owner"] not in done
    }
    done_on = {r["owner"]: timezone.localdate(r["last"]) for r in rows if r["owner"] in done and r["last"]}
    return Report(done=done, started={r["owner"] for r in rows}, left=left, done_on=done_on)


@register_rule("rectification.leadership_plan_done", _("领导整改方案已列明"), url_name="rectification:campaign")
def leadership_plan_done(item: WorkItem, people: QuerySet[Person]) -> set[int]:
    """问题、措施、责任人、时限逐条列明: the leader owns an item with measures and a deadline."""
    return set(
        RectificationItem.objects.filter(campaign_id=item.stage.campaign_id, owner__in=people, due_on__isnull=False)
        .exclude(measures="")
        .values_list("owner", flat=True)
    )


@register_rule("rectification.commitments_published", _("服务承诺已公开"), url_name="rectification:checks")
def commitments_published(item: WorkItem, people: QuerySet[Person]) -> Report:
    """Node-wide: done once the campaign's four-checks list (the service commitments) is published."""
    published = FourCheck.objects.filter(campaign_id=item.stage.campaign_id, published_at__isnull=False).exists()
    return Report(done={NODE}) if published else Report()


def _left_to_verify(n: int) -> str:
    return ngettext("还有 %(n)d 项整改事项未核实", "还有 %(n)d 项整改事项未核实", n) % {"n": n}
