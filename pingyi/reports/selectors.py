"""Reads for the progress and supervision pages.

The roll-up reads the kept counts (models.BranchTally), so a province's page costs a few indexed queries
whatever its size, and says how old its figures are. A single branch's progress page reads the records
live, through the same providers the counts come from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, IntegerField, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, StrIndex, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Campaign, Stage, WorkItem
from pingyi.campaigns.progress import ItemProgress, PeopleIndex, PersonRow, item_progress
from pingyi.org.models import OrgUnit, under
from pingyi.org.permissions import Cap, paths_with, visible_roots

from .models import SUMMED, BranchTally, NodeTally
from .tallies import BRANCH_TYPES

ATTENTION_RULE = _(
    "排在前面的是最需要督导的支部：先按逾期人次从多到少，再按当前阶段超过计划的天数从多到少；"
    "没有开展活动、没有党员的组织单独列出。这不是排名，不打分。"
)
ATTENTION_LIMIT = 30


@dataclass(frozen=True)
class Totals:
    """The kept counts summed over a subtree."""

    branches: int = 0
    without_campaign: int = 0
    without_members: int = 0
    values: dict[str, int] = field(default_factory=dict)
    oldest: datetime | None = None  # the oldest count in the subtree (the root's totals only)
    dirty: int = 0  # rows marked changed since they were counted (the root's totals only)

    def __getattr__(self, name: str) -> int:
        if name in SUMMED:
            return self.values.get(name, 0)
        raise AttributeError(name)

    @property
    def percent(self) -> int | None:
        expected = self.values.get("required_expected", 0)
        return round(100 * self.values.get("required_done", 0) / expected) if expected else None


@dataclass(frozen=True)
class ChildRow:
    org: OrgUnit
    totals: Totals


@dataclass(frozen=True)
class Rollup:
    root: OrgUnit
    totals: Totals
    children: list[ChildRow]
    attention: list[BranchTally]
    without_campaign: list[BranchTally]
    without_members: list[BranchTally]
    today: date

    @property
    def chart(self) -> list[dict[str, Any]]:
        return [
            {
                "name": row.org.name,
                "done": row.totals.required_done,
                "open": max(row.totals.required_expected - row.totals.required_done - row.totals.overdue, 0),
                "overdue": row.totals.overdue,
            }
            for row in self.children
        ]


def _sums() -> dict[str, Any]:
    return {
        "branches": Count("pk"),
        "without_campaign": Count("pk", filter=Q(campaign__isnull=True)),
        "without_members": Count("pk", filter=Q(members=0)),
        "oldest": Min("computed_at"),
        "dirty": Count("pk", filter=Q(dirty_since__isnull=False)),
        **{name: Sum(name) for name in SUMMED},
    }


def totals(rows: QuerySet[BranchTally]) -> Totals:
    """The branch rows added up on the spot: the yardstick the kept node sums are checked against."""
    found = rows.aggregate(**_sums())
    values = {name: found.pop(name) or 0 for name in SUMMED}
    return Totals(values=values, **found)


def node_totals(row: NodeTally | None, oldest: datetime | None = None, dirty: int = 0) -> Totals:
    if row is None:
        return Totals(oldest=oldest, dirty=dirty)
    return Totals(
        branches=row.branches,
        without_campaign=row.without_campaign,
        without_members=row.without_members,
        values={name: getattr(row, name) for name in SUMMED},
        oldest=oldest,
        dirty=dirty,
    )


def freshness(root: OrgUnit) -> tuple[datetime | None, int]:
    """The oldest count under `root` and how many branches wait for a recount: read live from the branch rows
    (indexes on computed_at and on the dirty rows), as keeping them on the node would make every write in
    the subtree wait on the node's row."""
    rows = BranchTally.objects.filter(under(root))
    oldest = rows.exclude(computed_at=None).order_by("computed_at").values_list("computed_at", flat=True).first()
    return oldest, rows.filter(dirty_since__isnull=False).count()


def subtree_totals(root: OrgUnit) -> tuple[Totals, list[ChildRow]]:
    """The subtree's totals and each child's, read from the kept node sums (models.NodeTally): the root's row
    and its children's, whatever the number of branches under them."""
    children = list(root.children.order_by("code"))
    kept = {row.org_id: row for row in NodeTally.objects.filter(org_id__in=[root.pk, *(c.pk for c in children)])}
    counted = {pk for pk, row in kept.items() if row.branches}
    shown = children_with_branches(root, children, counted)
    oldest, dirty = freshness(root)
    rows = [ChildRow(org=child, totals=node_totals(kept.get(child.pk))) for child in shown]
    return node_totals(kept.get(root.pk), oldest, dirty), rows


def _child_of(root: OrgUnit, path: str) -> Any:
    """The id (as text) of the child of `root` a node's path lies under: the segment after the root's path."""
    rest = Substr(path, len(root.path) + 1)
    return Substr(rest, 1, StrIndex(rest, Value("/")) - 1)


def children_with_branches(root: OrgUnit, children: list[OrgUnit], counted: set[int]) -> list[OrgUnit]:
    """The children that are branches or have branches under them, counted or not yet. Those with counted
    branches are known from their sums; the others' subtrees are searched in one query (none in a counted
    tree, or only the offices and groups that hold no branch)."""
    unknown = [c for c in children if c.type not in BRANCH_TYPES and c.pk not in counted]
    found: set[int] = set()
    if unknown:
        branches = OrgUnit.objects.filter(under(*unknown, via=""), type__in=BRANCH_TYPES)
        child = Cast(_child_of(root, "path"), IntegerField())
        found = set(branches.annotate(child=child).values_list("child", flat=True).distinct())
    return [c for c in children if c.type in BRANCH_TYPES or c.pk in counted or c.pk in found]


def branch_rows(root: OrgUnit) -> QuerySet[BranchTally]:
    return BranchTally.objects.filter(under(root)).select_related("org", "campaign")


def rollup(root: OrgUnit, today: date | None = None) -> Rollup:
    """The subtree at a glance: each child's totals, and the branches that need a visit first."""
    today = today or timezone.localdate()
    rows = branch_rows(root)
    named = BranchTally.objects.filter(under(root)).select_related("org")  # lists that show only the name
    total, children = subtree_totals(root)
    behind = Q(overdue__gt=0) | Q(stage_ends_on__lt=today)
    attention = list(
        rows.exclude(campaign=None)
        .exclude(members=0)
        .filter(behind)
        .order_by("-overdue", "stage_ends_on", "org__path")[:ATTENTION_LIMIT]
    )
    return Rollup(
        root=root,
        totals=total,
        children=children,
        attention=attention,
        # asked only when the sums say there is one to find
        without_campaign=_first(named.filter(campaign=None)) if total.without_campaign else [],
        without_members=_first(named.filter(members=0)) if total.without_members else [],
        today=today,
    )


def _first(rows: QuerySet[BranchTally]) -> list[BranchTally]:
    return list(rows.order_by("org__path")[:ATTENTION_LIMIT])


def supervised_roots(user: Any) -> list[OrgUnit]:
    """The topmost nodes where the user supervises (the 督导组 role), or the tree's roots for the administrator."""
    if getattr(user, "is_superuser", False):
        return visible_roots(user)
    paths = sorted(paths_with(user, Cap.REVIEW_STAGE))
    tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return list(OrgUnit.objects.filter(path__in=tops).order_by("path"))


def days_behind(row: BranchTally, today: date) -> int:
    """Days the open stage has run past its planned end without being signed off."""
    return max((today - row.stage_ends_on).days, 0) if row.stage_ends_on else 0


# --- One branch, live ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageProgress:
    stage: Stage
    items: list[ItemProgress]
    people: list[PersonRow]
    blocking: list[str]  # what still stands between this stage and the next

    def cell(self, p: ItemProgress, person: PersonRow) -> str:
        state = p.state_of(person.id)
        return state.value if state else ("untracked" if not p.tracked else "")

    @property
    def overdue_people(self) -> list[PersonRow]:
        late = {r.id for p in self.items for r in p.overdue}
        return [r for r in self.people if r.id in late]


def stage_progress(campaign: Campaign, stage: Stage) -> StageProgress:
    index = PeopleIndex([campaign.org])
    items = [item_progress(item, campaign.org, index) for item in stage.work_items.all()]
    people = index.concerned(campaign.org, "members")
    blocking = [str(line.text) for line in stage.lookback_items.all() if not line.checked]
    blocking += [
        str(_("“%(item)s”有 %(n)d 人逾期") % {"item": p.item.name, "n": len(p.overdue)})
        for p in items
        if p.item.required and p.overdue
    ]
    return StageProgress(stage=stage, items=items, people=people, blocking=blocking)


@dataclass(frozen=True)
class LeadersFirst:
    """Whether the leaders did an item before the other members, as dates from the record: a fact, not a score."""

    item: WorkItem
    leaders: int
    leaders_done: int
    leaders_last: date | None  # the day the last leader finished (None until all have)
    members: int
    members_half: date | None  # the day half of the other members had finished (None until they have)

    @property
    def first(self) -> bool | None:
        """True when every leader finished no later than half the members; None while it cannot be said."""
        if self.leaders_last is None or self.members == 0:
            return None
        return self.members_half is None or self.leaders_last <= self.members_half


def leaders_first(campaign: Campaign) -> list[LeadersFirst]:
    """For each item with dated records that leaders do too (征求意见、谈心、党性分析、整改…)."""
    index = PeopleIndex([campaign.org])
    found = []
    for item in WorkItem.objects.filter(stage__campaign=campaign).exclude(stage__status=Stage.Status.PENDING):
        p = item_progress(item, campaign.org, index)
        leaders = [r for r in p.expected if r.is_leader]
        if not p.tracked or not leaders or not p.done_on:
            continue
        others = [r for r in p.expected if not r.is_leader]
        leader_days = [p.done_on[r.id] for r in leaders if r.id in p.done_on]
        other_days = sorted(p.done_on[r.id] for r in others if r.id in p.done_on)
        half = (len(others) + 1) // 2
        found.append(
            LeadersFirst(
                item=item,
                leaders=len(leaders),
                leaders_done=len(leader_days),
                leaders_last=max(leader_days) if len(leader_days) == len(leaders) else None,
                members=len(others),
                members_half=other_days[half - 1] if others and len(other_days) >= half else None,
            )
        )
    return found


def overdue_recipients(campaign: Campaign, stage: Stage | None = None) -> dict[int, list[str]]:
    """Person id -> names of the items of the stage (the open one by default) they are overdue on."""
    stage = stage or campaign.current_stage
    if stage is None:
        return {}
    found: dict[int, list[str]] = {}
    for p in stage_progress(campaign, stage).items:
        if p.item.per_person:
            for row in p.overdue:
                found.setdefault(row.id, []).append(p.item.name)
    return found
