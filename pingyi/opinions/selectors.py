"""Reads for pages and other apps. Keep `opinions_about`'s signature: the evaluation committee page calls it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from pingyi.campaigns.models import Campaign
from pingyi.org.models import Person

from .models import TRACED, Channel, Opinion, OpinionRound, OpinionStatus


def opinions_about(person: Person, campaign: Campaign | None = None) -> QuerySet[Opinion]:
    """Opinions gathered about one person (merged duplicates left out), newest first."""
    found = Opinion.objects.filter(concerns_person=person).exclude(status=OpinionStatus.MERGED)
    if campaign is not None:
        found = found.filter(round__campaign=campaign)
    return found.select_related("round")


@dataclass
class Stats:
    """Counts for the stage statistics: merged duplicates count once, under the opinion they joined."""

    total: int = 0
    by_channel: list[tuple[str, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_status: list[tuple[str, int]] = field(default_factory=list)
    merged: int = 0
    rectified: int = 0


def opinion_stats(opinions: QuerySet[Opinion]) -> Stats:
    """Three grouped queries, whatever the number of opinions."""
    status_counts = dict(opinions.values_list("status").annotate(n=Count("id")).order_by())
    live = opinions.exclude(status=OpinionStatus.MERGED)
    channel_counts = dict(live.values_list("channel").annotate(n=Count("id")).order_by())
    category_counts = Counter(
        dict(live.values_list("category__name").annotate(n=Count("id")).order_by())  # type: ignore[arg-type]
    )
    uncategorised = category_counts.pop(None, 0)  # type: ignore[call-overload]
    by_category = sorted(category_counts.items(), key=lambda pair: -pair[1])
    if uncategorised:
        by_category.append(("", uncategorised))
    return Stats(
        total=sum(n for s, n in status_counts.items() if s != OpinionStatus.MERGED),
        by_channel=[(str(c.label), channel_counts[c.value]) for c in Channel if channel_counts.get(c.value)],
        by_category=by_category,
        by_status=[(str(s.label), status_counts[s.value]) for s in OpinionStatus if status_counts.get(s.value)],
        merged=status_counts.get(OpinionStatus.MERGED, 0),
        rectified=live.filter(rectification_item__isnull=False).count(),
    )


def campaign_rounds(campaign: Campaign) -> QuerySet[OpinionRound]:
    return (
        OpinionRound.objects.filter(campaign=campaign)
        .select_related("org")
        .annotate(
            opinion_count=Count("opinions", distinct=True),
            symposium_count=Count("symposia", distinct=True),
            visit_count=Count("visits", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def round_opinions(
    round: OpinionRound, *, status: str = "", channel: str = "", category: str = ""
) -> QuerySet[Opinion]:
    found = round.opinions.select_related("category", "concerns_person", "merged_into")
    if status:
        found = found.filter(status=status)
    if channel:
        found = found.filter(channel=channel)
    if category == "none":
        found = found.filter(category__isnull=True)
    elif category.isdigit():
        found = found.filter(category_id=int(category))
    return found


def rounds_for(campaign: Campaign) -> QuerySet[OpinionRound]:
    """Opinion rounds an opinion raised under this campaign may go to: the campaign's, or its node's line."""
    org = campaign.org
    return OpinionRound.objects.filter(
        Q(campaign=campaign) | Q(campaign__isnull=True, org_id__in=org.ancestor_ids())
    ).order_by("-created_at", "-id")


def untraced(campaign: Campaign) -> QuerySet[Opinion]:
    """Opinions of the campaign's rounds with no outcome yet: not answered, not merged, not turned into an item."""
    return Opinion.objects.filter(round__campaign=campaign, rectification_item=None).exclude(status__in=TRACED)
