"""Named reads for the rectification pages, the home cards and the reminders command."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from pingyi.campaigns.models import Campaign
from pingyi.org.models import OrgUnit, under
from pingyi.org.permissions import Cap, orgs_with, paths_with

from .models import OPEN_STATES, FourCheck, ItemStatus, RectificationItem, RectificationItemQuerySet

# The tabs add up to the whole list: 整改中 (within the deadline), 已逾期, 待核实, 已核实.
FILTERS = {
    "overdue": lambda qs: qs.overdue(),
    "open": lambda qs: qs.filter(status__in=OPEN_STATES).exclude(pk__in=qs.overdue().values("pk")),
    "done": lambda qs: qs.filter(status=ItemStatus.DONE),
    "verified": lambda qs: qs.filter(status=ItemStatus.VERIFIED),
}


def _listing(qs: RectificationItemQuerySet) -> RectificationItemQuerySet:
    return qs.select_related("owner", "org").annotate(evidence_count=Count("evidence"))


def items_of_campaign(campaign: Campaign, *, owner_user: Any = None, status: str = "") -> RectificationItemQuerySet:
    qs = RectificationItem.objects.filter(campaign=campaign)
    if owner_user is not None:
        qs = qs.filter(owner__user=owner_user)
    if status in FILTERS:
        qs = FILTERS[status](qs)
    return _listing(qs)


def items_under(org: OrgUnit, status: str = "") -> RectificationItemQuerySet:
    qs = RectificationItem.objects.in_subtree(org)
    if status in FILTERS:
        qs = FILTERS[status](qs)
    return _listing(qs)


@dataclass(frozen=True)
class Counts:
    """The tabs' counts: open (within the deadline) + overdue + done + verified = total."""

    total: int
    open: int
    done: int
    verified: int
    overdue: int


def counts(qs: RectificationItemQuerySet) -> Counts:
    overdue_ids = qs.overdue().values("pk")
    found = qs.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATES) & ~Q(pk__in=overdue_ids)),
        done=Count("pk", filter=Q(status=ItemStatus.DONE)),
        verified=Count("pk", filter=Q(status=ItemStatus.VERIFIED)),
        overdue=Count("pk", filter=Q(pk__in=overdue_ids)),
    )
    return Counts(**found)


@dataclass(frozen=True)
class Chase:
    """What waits for someone who verifies, under every node where they do: one query for the home page."""

    overdue: int
    waiting: int  # reported done, to verify


def to_chase(user: Any) -> Chase:
    if getattr(user, "is_superuser", False):
        return Chase(0, 0)  # the administrator runs no branch; the reminders command covers all
    paths = paths_with(user, Cap.MANAGE_RECTIFICATION)
    if not paths:
        return Chase(0, 0)
    today = timezone.localdate()
    found = RectificationItem.objects.filter(under(*paths)).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today, status__in=OPEN_STATES)),
        waiting=Count("pk", filter=Q(status=ItemStatus.DONE)),
    )
    return Chase(**found)


def my_items(user: Any) -> RectificationItemQuerySet:
    """The owner's items still to do (to report, overdue or sent back): waiting from the day they are made."""
    return RectificationItem.objects.filter(owner__user=user, status__in=OPEN_STATES)


def top_managed_org(user: Any) -> OrgUnit | None:
    return orgs_with(user, Cap.MANAGE_RECTIFICATION).order_by("depth", "path").first()


def checks_of_campaign(campaign: Campaign) -> list[FourCheck]:
    return list(
        FourCheck.objects.filter(campaign=campaign).annotate(
            entry_count=Count("entries"), finding_count=Count("entries", filter=~Q(entries__finding=""))
        )
    )


def published_checks(org: OrgUnit) -> list[FourCheck]:
    return list(
        FourCheck.objects.filter(under(org), published_at__isnull=False)
        .prefetch_related("entries")
        .order_by("-published_at")
    )
