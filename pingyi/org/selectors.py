"""Named reads for the org pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch

from .models import MemberCategory, MemberStatus, OrgUnit, OrgUnitChange, Person, PersonKind, Post, under
from .permissions import Cap, can, orgs_with


def people_in(org: OrgUnit, *, kind: str = "") -> Any:
    """Everyone in the subtree, with what a list row shows, in a fixed number of queries."""
    people = Person.objects.in_subtree(org).select_related("org", "group")
    if kind:
        people = people.filter(kind=kind)
    return people.prefetch_related(Prefetch("posts", queryset=Post.objects.select_related("org").order_by("id")))


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


def people_counts(org: OrgUnit) -> dict[str, list[Tally]]:
    people = Person.objects.in_subtree(org)
    by_kind = dict(people.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    members = people.filter(kind=PersonKind.MEMBER)
    by_status = dict(members.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    by_category = dict(members.values_list("category").annotate(n=Count("id")).values_list("category", "n"))
    return {
        "kind": [Tally(str(label), by_kind.get(value, 0)) for value, label in PersonKind.choices],
        "status": [Tally(str(label), by_status.get(value, 0)) for value, label in MemberStatus.choices],
        "category": [Tally(str(label), by_category.get(value, 0)) for value, label in MemberCategory.choices],
    }


def history_of(org: OrgUnit) -> Any:
    return OrgUnitChange.objects.filter(org=org).select_related("by", "old_parent", "new_parent")


def tree_rows(user: Any, nodes: Any) -> list[tuple[OrgUnit, bool]]:
    """Each node with whether its page may be opened (the grants are cached, so no query per node)."""
    return [(node, can(user, Cap.VIEW_ORG, node)) for node in nodes]


def move_targets(user: Any, org: OrgUnit) -> Any:
    """Where a node may be hung: under a node the user manages, never inside itself, not where it is."""
    targets = orgs_with(user, Cap.MANAGE_TREE).exclude(under(org, via=""))
    return targets.exclude(pk=org.parent_id) if org.parent_id else targets
