"""Named reads for the rectification pages, the home cards and the reminders command."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from pingyi.campaigns.models import Campaign
from pingyi.org.models import OrgUnit, under
from pingyi.org.permissions import Cap, orgs_with, paths_with

from .models import OPEN_STATES, FourCheck, ItemStatus, RectificationItem, RectificationItemQuerySet

FILTERS = {
    "overdue": lambda qs: qs.overdue(),
    "open": lambda qs: qs.filter(status__in=OPEN_STATES),
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
    total: int
    open: int
    done: int
    verified: int
    overdue: int


def counts(qs: RectificationItemQuerySet) -> Counts:
    overdue_ids = qs.overdue().values("pk")
    found = qs.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATES)),
        done=Count("pk", filter=Q(status=ItemStatus.DONE)),
        verified=Count("pk", filter=Q(status=ItemStatus.VERIFIED)),
        overdue=Count("pk", filter=Q(pk__in=overdue_ids)),
    )
    return Counts(**found)


def my_overdue(user: Any) -> RectificationItemQuerySet:
    return RectificationItem.objects.overdue().filter(owner__user=user)


def returned_to_me(user: Any) -> RectificationItemQuerySet:
    """Items the secretary sent back to this owner, still not reported again."""
    return RectificationItem.objects.filter(
        owner__user=user, status=ItemStatus.IN_PROGRESS, verified_at__isnull=True
    ).exclude(return_reason="")


def overdue_to_manage(user: Any) -> RectificationItemQuerySet:
    """Overdue items under every node where the user verifies rectification."""
    if getattr(user, "is_superuser", False):
        return RectificationItem.objects.none()  # the administrator runs no branch; the command covers all
    paths = paths_with(user, Cap.MANAGE_RECTIFICATION)
    if not paths:
        return RectificationItem.objects.none()
    return RectificationItem.objects.overdue().filter(under(*paths))


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
