"""Work-item progress from rectification records (see campaigns/progress.py and the campaign templates)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import register_rule
from pingyi.org.models import Person

from .models import FourCheck, ItemStatus, RectificationItem


@register_rule("rectification.personal_plan_done", _("个人整改事项已核实"), url_name="rectification:campaign")
def personal_plan_done(item: WorkItem, people: QuerySet[Person]) -> set[int]:
    """制定并落实: the member owns at least one item of the campaign with measures, and every one is verified."""
    rows = (
        RectificationItem.objects.filter(campaign_id=item.stage.campaign_id, owner__in=people)
        .values("owner")
        .annotate(
            total=Count("pk"),
            verified=Count("pk", filter=Q(status=ItemStatus.VERIFIED)),
            planned=Count("pk", filter=~Q(measures="")),
        )
    )
    return {r["owner"] for r in rows if r["total"] == r["verified"] and r["planned"] > 0}


@register_rule("rectification.leadership_plan_done", _("领导整改方案已列明"), url_name="rectification:campaign")
def leadership_plan_done(item: WorkItem, people: QuerySet[Person]) -> set[int]:
    """问题、措施、责任人、时限逐条列明: the leader owns an item with measures and a deadline."""
    return set(
        RectificationItem.objects.filter(campaign_id=item.stage.campaign_id, owner__in=people, due_on__isnull=False)
        .exclude(measures="")
        .values_list("owner", flat=True)
    )


@register_rule("rectification.commitments_published", _("服务承诺已公开"), url_name="rectification:checks")
def commitments_published(item: WorkItem, people: QuerySet[Person]) -> set[int]:
    """A branch-wide fact: once the campaign's four-checks list is published, it is done for the whole committee."""
    published = FourCheck.objects.filter(campaign_id=item.stage.campaign_id, published_at__isnull=False).exists()
    return set(people.values_list("pk", flat=True)) if published else set()
