"""Keeping the roll-up's counts: computed from the providers the branch pages use, never typed in.

A branch's row is refreshed when something under it changed (any audited write marks it dirty, in the
writer's transaction) or when the date moved on (overdue counts depend on the day). Pages that read the
rows say when they were counted; `refresh_stale` brings a subtree up to date and runs as a job.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pingyi.campaigns.models import Campaign, Stage, StageReview
from pingyi.campaigns.progress import ItemProgress, PeopleIndex, item_progress
from pingyi.core.models import AuditEntry
from pingyi.opinions.selectors import untraced
from pingyi.org.models import OrgType, OrgUnit, OrgUnitChange, Person, under
from pingyi.rectification.selectors import counts as rectification_counts
from pingyi.rectification.selectors import items_of_campaign
from pingyi.writings.selectors import flagged_count

from .models import NODE_SUMS, SUMMED, BranchTally, ItemTally, NodeTally

BRANCH_TYPES = (OrgType.BRANCH, OrgType.GENERAL_BRANCH)
VOTE_RULE = "evaluation.participated"
DECISION_RULE = "evaluation.opinion_formed"


def mark_dirty(sender: Any, entry: AuditEntry, **kwargs: Any) -> None:
    """Receiver of core.audit.recorded: the rows of the branches at or above the entry's node are stale."""
    org = entry.org
    if org is None:
        return
    if entry.action == "org.create" and org.type in BRANCH_TYPES:
        _add_empty_row(org)
    BranchTally.objects.filter(org_id__in=org.ancestor_ids(), dirty_since__isnull=True).update(
        dirty_since=timezone.now()
    )


def _add_empty_row(org: OrgUnit) -> None:
    """A new branch gets its row at once, empty (true of a new branch) and marked dirty, so the page's cheap
    check (needs_recount) sees it without looking for branches that have no row."""
    row, created = BranchTally.objects.get_or_create(org=org, defaults={"dirty_since": timezone.now()})
    if created:
        add_to_nodes({node: share(row) for node in path_ids(org.path)})


def branches_under(root: OrgUnit) -> Any:
    return OrgUnit.objects.in_subtree(root).filter(type__in=BRANCH_TYPES)


def open_campaign_of(org: OrgUnit) -> Campaign | None:
    return Campaign.objects.open().filter(org=org).order_by("-starts_on", "-id").first()


@transaction.atomic
def refresh_branch(org: OrgUnit, today: date | None = None) -> BranchTally:
    """Recount one branch from the records, as the branch's own pages count it."""
    today = today or timezone.localdate()
    now = timezone.now()
    tally, created = BranchTally.objects.select_for_update().get_or_create(org=org)
    before = {} if created else share(tally)
    # the node as it is now, under the row's lock: a move committed since the caller read it has taken the
    # sums to the new path (follow_move), and the members are counted under the new path too
    org = OrgUnit.objects.get(pk=org.pk)
    fields: dict[str, Any] = {
        "members": Person.objects.members().in_subtree(org).count(),
        "counted_on": today,
        "computed_at": now,
        "dirty_since": None,
        **_empty_campaign(),
    }
    campaign = open_campaign_of(org)
    if campaign is not None:
        fields.update(_campaign_fields(campaign, today, now))
    for name, value in fields.items():
        setattr(tally, name, value)
    tally.save()
    add_to_nodes({node: difference(before, share(tally)) for node in path_ids(org.path)})
    return tally


def _empty_campaign() -> dict[str, Any]:
    zeroes = [f.name for f in BranchTally._meta.fields if f.get_internal_type() == "PositiveIntegerField"]
    empty = {name: 0 for name in zeroes if name != "members"}
    return {**empty, "campaign": None, "stage_order": None, "stage_name": "", "stage_ends_on": None,
            "last_review_at": None, "last_review_rating": ""}  # fmt: skip


def _campaign_fields(campaign: Campaign, today: date, now: Any) -> dict[str, Any]:
    stages = list(campaign.stages.order_by("order").prefetch_related("work_items", "lookback_items"))
    index = PeopleIndex([campaign.org])
    progress: dict[int, ItemProgress] = {}
    for stage in stages:
        if stage.status == Stage.Status.PENDING:
            continue
        for item in stage.work_items.all():
            progress[item.pk] = item_progress(item, campaign.org, index)
    _store_items(campaign, progress.values(), now)
    current = next((s for s in stages if s.is_open), None)
    fields: dict[str, Any] = {"campaign": campaign}
    if current is not None:
        mine = [progress[i.pk] for i in current.work_items.all()]
        required = [p for p in mine if p.tracked and p.item.required and p.item.per_person]
        fields.update(
            stage_order=current.order,
            stage_name=current.name,
            stage_ends_on=current.ends_on,
            required_expected=sum(p.expected_count for p in required),
            required_done=sum(p.done for p in required),
            overdue=sum(len(p.overdue) for p in mine),
            overdue_items=sum(1 for p in mine if p.overdue),
            excused=sum(len(p.excused) for p in mine),
            lookback_checked=sum(1 for item in current.lookback_items.all() if item.checked),
            lookback_total=len(current.lookback_items.all()),
        )
    for rule, done_field, expected_field in ((VOTE_RULE, "voted", "voters"), (DECISION_RULE, "decided", "to_decide")):
        found = [p for p in progress.values() if p.item.rule == rule]
        fields[done_field] = sum(p.done for p in found)
        fields[expected_field] = sum(p.expected_count for p in found)
    rectification = rectification_counts(items_of_campaign(campaign))
    review = StageReview.objects.filter(stage__campaign=campaign).order_by("-at").first()
    fields.update(
        flagged_writings=flagged_count(campaign),
        open_rectification=rectification.total - rectification.verified,
        overdue_rectification=rectification.overdue,
        untraced_opinions=untraced(campaign).count(),
        last_review_at=review.at if review else None,
        last_review_rating=review.rating if review else "",
    )
    return fields


def _store_items(campaign: Campaign, found: Iterable[ItemProgress], now: Any) -> None:
    for p in found:
        ItemTally.objects.update_or_create(
            work_item=p.item,
            defaults={
                "campaign": campaign,
                "tracked": p.tracked,
                "subjects": len(p.expected),
                "done": p.done,
                "started": len(p.started_ids),
                "excused": len(p.excused),
                "computed_at": now,
            },
        )


# --- The nodes' sums ----------------------------------------------------------------------------------
# NodeTally(n) = the sum of share(row) over the BranchTally rows at or under n. Whatever changes a branch's
# row adds the difference to every node on the branch's path, in the same transaction.


def share(row: BranchTally) -> dict[str, int]:
    """What a branch's row adds to each node at or above it."""
    return {
        "branches": 1,
        "without_campaign": int(row.campaign_id is None),
        "without_members": int(row.members == 0),
        **{name: getattr(row, name) for name in SUMMED},
    }


def difference(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {name: after.get(name, 0) - before.get(name, 0) for name in {*before, *after}}


def path_ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def add_to_nodes(changes: dict[int, dict[str, int]]) -> None:
    """Add each node's change to its row (made when missing). Rows are locked in id order, so two writers
    whose branches share ancestors queue on the first shared row instead of deadlocking."""
    changes = {node: {k: v for k, v in change.items() if v} for node, change in changes.items()}
    changes = {node: change for node, change in changes.items() if change}
    if not changes:
        return
    have = set(NodeTally.objects.filter(org_id__in=changes).values_list("org_id", flat=True))
    missing = [NodeTally(org_id=node) for node in changes if node not in have]
    NodeTally.objects.bulk_create(missing, ignore_conflicts=True)  # a concurrent writer may have made it
    rows = list(NodeTally.objects.select_for_update().filter(org_id__in=changes).order_by("org_id"))
    touched: set[str] = set()
    for row in rows:
        for name, by in changes[row.org_id].items():
            setattr(row, name, getattr(row, name) + by)
            touched.add(name)
    NodeTally.objects.bulk_update(rows, sorted(touched))


def sums_by_node(rows: Iterable[BranchTally], sign: int = 1) -> dict[int, dict[str, int]]:
    """What these branch rows add (sign 1) or take away (-1) at each node on their paths (rows with `org`)."""
    found: dict[int, dict[str, int]] = {}
    for row in rows:
        part = share(row)
        for node in path_ids(row.org.path):
            into = found.setdefault(node, dict.fromkeys(part, 0))
            for name, value in part.items():
                into[name] += sign * value
    return found


def add_branches(org_ids: Iterable[int], sign: int = 1) -> None:
    """Add (or, with sign -1, take away) these branches' rows to the nodes above them: the seed's rows,
    written without the refresher."""
    add_to_nodes(sums_by_node(BranchTally.objects.filter(org_id__in=list(org_ids)).select_related("org"), sign))


def expected_node_sums(root: OrgUnit) -> dict[int, dict[str, int]]:
    """Every node's sums at or under `root` recounted from the branch rows: the yardstick NodeTally must equal
    (nodes with no branch row under them are absent)."""
    return sums_by_node(BranchTally.objects.filter(org__path__startswith=root.path).select_related("org"))


def node_drift(root: OrgUnit) -> list[str]:
    """Where the kept node sums at or under `root` differ from the branch rows, in words; empty when equal."""
    counted = expected_node_sums(root)
    rows = NodeTally.objects.filter(org__path__startswith=root.path)
    kept: dict[int, dict[str, int]] = {row.org_id: {name: getattr(row, name) for name in NODE_SUMS} for row in rows}
    found = []
    for node in sorted({*counted, *kept}):
        mine, theirs = kept.get(node, {}), counted.get(node, {})
        for name in NODE_SUMS:
            if mine.get(name, 0) != theirs.get(name, 0):
                found.append(f"{node} {name}: kept {mine.get(name, 0)}, counted {theirs.get(name, 0)}")
    return found


def follow_move(sender: Any, entry: AuditEntry, **kwargs: Any) -> None:
    """Receiver of core.audit.recorded: a moved node takes its subtree's sums from its old ancestors to its
    new ones, in the mover's transaction. Its branches' rows are locked first, so a recount that began
    before the move has committed (its difference went to the old path and moves now) and one that begins
    after it reads the new path."""
    if entry.action != "org.move" or entry.org is None:
        return
    moved = OrgUnit.objects.get(pk=entry.org.pk)
    change = OrgUnitChange.objects.filter(org=moved, kind=OrgUnitChange.Kind.MOVED).latest("id")
    list(BranchTally.objects.select_for_update().filter(org__path__startswith=moved.path).order_by("pk"))
    row = NodeTally.objects.filter(org=moved).values(*NODE_SUMS).first()
    if row is None:
        return
    changes: dict[int, dict[str, int]] = {}
    for nodes, sign in ((change.old_parent.ancestor_ids() if change.old_parent else [], -1),
                        (change.new_parent.ancestor_ids() if change.new_parent else [], 1)):  # fmt: skip
        for node in nodes:
            into = changes.setdefault(node, {})
            for name, value in row.items():
                into[name] = into.get(name, 0) + sign * value
    add_to_nodes(changes)


def stale(root: OrgUnit, today: date | None = None) -> Any:
    """The branches under `root` whose row is missing, marked dirty, or counted on an earlier day."""
    today = today or timezone.localdate()
    fresh = BranchTally.objects.filter(dirty_since__isnull=True, counted_on=today).values("org_id")
    return branches_under(root).exclude(pk__in=fresh)


def needs_recount(root: OrgUnit, today: date | None = None) -> bool:
    """Whether a row under `root` is marked dirty or counted on an earlier day: what the roll-up page asks on
    every view, answered from the few rows concerned (the partial index on dirty rows, the index on
    counted_on) rather than from every branch of the subtree. Branches without a row, made outside
    org.services, are not seen here; the refresh job and the nightly command (`stale`) count them too."""
    today = today or timezone.localdate()
    waiting = Q(dirty_since__isnull=False) | Q(counted_on__lt=today) | Q(counted_on=None)
    return BranchTally.objects.filter(under(root)).filter(waiting).exists()


def refresh_stale(root: OrgUnit, today: date | None = None, on_each: Any = None) -> int:
    """Recount every stale branch under `root`; returns how many. `on_each(done, total)` reports progress."""
    todo = list(stale(root, today))
    for n, org in enumerate(todo, start=1):
        refresh_branch(org, today)
        if on_each:
            on_each(n, len(todo))
    return len(todo)


RECOUNT_CHUNK = 500


def recount_dates(today: date | None = None) -> int:
    """Move the date-dependent counts (overdue) of rows counted on an earlier day to `today`, from the kept
    item counts, without asking the providers: nothing else changes with the date (a change marks a row
    dirty, and dirty rows are recounted in full). Returns how many rows moved.

    A chunk of rows at a time, each in its own short transaction, with the chunk's item counts read in one
    query: a province's 33,000 rows one by one in one transaction took 7.5 minutes (bench/rollup.py), and
    held every row's lock so long that any audited write marking its branch dirty waited for all of it."""
    today = today or timezone.localdate()
    waiting = BranchTally.objects.filter(dirty_since__isnull=True, counted_on__lt=today)
    moved = waiting.filter(Q(campaign=None) | Q(stage_order=None)).update(counted_on=today)
    ids = list(waiting.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), RECOUNT_CHUNK):
        moved += _recount_chunk(ids[start : start + RECOUNT_CHUNK], today)
    return moved


@transaction.atomic
def _recount_chunk(ids: list[int], today: date) -> int:
    rows = list(
        BranchTally.objects.select_for_update()
        .filter(pk__in=ids, dirty_since__isnull=True, counted_on__lt=today)
        .select_related("org")
        .order_by("pk")
    )
    changes: dict[int, dict[str, int]] = {}
    items: dict[tuple[int, int], list[ItemTally]] = {}
    found = ItemTally.objects.filter(campaign_id__in={r.campaign_id for r in rows}, tracked=True)
    for counted in found.select_related("work_item__stage"):
        items.setdefault((counted.campaign_id, counted.work_item.stage.order), []).append(counted)
    for tally in rows:
        assert tally.campaign_id is not None and tally.stage_order is not None
        overdue = overdue_items = 0
        for counted in items.get((tally.campaign_id, tally.stage_order), []):
            item = counted.work_item
            late = item.stage.status == Stage.Status.CLOSED or today > (item.due_on or item.stage.ends_on)
            missing = counted.subjects - counted.done - counted.excused
            if late and missing:
                overdue, overdue_items = overdue + missing, overdue_items + 1
        for node in path_ids(tally.org.path):
            into = changes.setdefault(node, {"overdue": 0, "overdue_items": 0})
            into["overdue"] += overdue - tally.overdue
            into["overdue_items"] += overdue_items - tally.overdue_items
        tally.overdue, tally.overdue_items, tally.counted_on = overdue, overdue_items, today
    BranchTally.objects.bulk_update(rows, ["overdue", "overdue_items", "counted_on"])
    add_to_nodes(changes)
    return len(rows)
