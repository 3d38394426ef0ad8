"""Build a synthetic province: province → cities → districts → towns → branches, ~30 members a branch,
a campaign per branch at various stages (some behind their plan), some branches without a campaign,
some without members, the records the progress providers read (writings, excusals, rectification
items, look-back checks, supervisors' reviews) and the roll-up's kept counts (reports.BranchTally and
ItemTally, and the nodes' sums of them, NodeTally).

Why it bypasses the services: a service call writes one audit entry, takes locks and runs the
providers, which is right for a person's action and would make a million rows take hours. This data
is no one's action; it exists to be measured and is deleted afterwards, so nothing belongs in the
audit log. The kept counts are computed here from the rows as they are generated, by the providers'
rules; the test suite checks them against `tallies.refresh_branch` (the real refresher) and against
the naive count (naive.py), so a drift between this file and the providers fails a test.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import monotonic
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from pingyi.campaigns.models import Campaign, Excusal, LookBackItem, Stage, StageReview, WorkItem
from pingyi.org.models import OrgType, OrgUnit, Person, Role, RoleGrant
from pingyi.rectification.models import ItemStatus, RectificationItem
from pingyi.reports import tallies
from pingyi.reports.models import BranchTally, ItemTally
from pingyi.writings.models import KIND_OF_RULE, REFLECTION_RULE, SELF_ANALYSIS_RULE, Writing

from . import VERSION
from .writer import Table, move_sequences, write

__all__ = ["VERSION"]

PREFIX = "SYN-"
REVIEWER = "syn-supervisor"
SQLITE_LIMIT = 5000  # members: SQLite is for the test suite's tiny trees, not for a province

# (code, name, [(item code, name, rule, required)]): rule "" is an item recorded on paper (not tracked).
STAGES: list[tuple[str, str, list[tuple[str, str, str, bool]]]] = [
    ("study", "学习动员", [("reflection", "撰写学习心得", REFLECTION_RULE, True),
                          ("attendance", "参加集中学习", "", True)]),
    ("analysis", "分析评议", [("self_analysis", "撰写党性分析材料", SELF_ANALYSIS_RULE, True),
                             ("evaluation", "参加民主评议", "", True)]),
    ("rectification", "整改提高", [("plan", "制定个人整改措施", "", True),
                                  ("essay", "撰写整改体会（选做）", REFLECTION_RULE, False)]),
]  # fmt: skip
LOOKBACK = ["本阶段必做事项已全部完成", "存在的问题已列出并明确整改责任人"]
STAGE_DAYS = 30
PARAMS = {"min_count": 1}  # naive.py counts one accepted piece as done
# Writing outcomes by situation: (status or "" for nothing written, weight).
OUTCOMES = {
    "closed": [("accepted", 92), ("returned", 3), ("submitted", 2), ("", 3)],
    "on_plan": [("accepted", 60), ("submitted", 15), ("draft", 10), ("returned", 3), ("", 12)],
    "behind": [("accepted", 35), ("submitted", 15), ("draft", 10), ("returned", 5), ("", 35)],
    "optional": [("accepted", 30), ("", 70)],
}


@dataclass(frozen=True)
class Shape:
    """How the province is laid out for `members` members."""

    members: int
    per_branch: int = 30
    branches_per_district: int = 220  # ~15 towns of ~15 branches
    towns_per_district: int = 15
    cities: int = 0  # 0: from the size (2 to 16)
    seed: int = 2005

    @property
    def branches(self) -> int:
        return max(1, round(self.members / self.per_branch))

    def districts_by_city(self) -> list[list[int]]:
        """For each city, the number of branches of each of its districts."""
        districts = math.ceil(self.branches / self.branches_per_district)
        cities = self.cities or min(16, max(2, math.ceil(districts / 10)))
        cities = min(cities, districts) if districts > 1 else 1
        per_district = split(self.branches, max(districts, cities))
        counts = split(len(per_district), cities)
        found, at = [], 0
        for n in counts:
            found.append(per_district[at : at + n])
            at += n
        return found

    def sizes(self) -> list[int]:
        """Members of each branch, in tree order: about `per_branch`, none in one branch of 67, `members` in all."""
        rng = random.Random(self.seed)
        low, high = max(1, self.per_branch // 2), max(1, self.per_branch * 3 // 2)
        sizes = [0 if is_empty(i) else rng.randint(low, high) for i in range(self.branches)]
        filled = [i for i, n in enumerate(sizes) if n] or [0]
        diff = self.members - sum(sizes)
        step, rest = divmod(abs(diff), len(filled))
        sign = 1 if diff >= 0 else -1
        for k, i in enumerate(filled):
            sizes[i] = max(0, sizes[i] + sign * (step + (1 if k < rest else 0)))
        return sizes


def split(n: int, k: int) -> list[int]:
    return [n // k + (1 if i < n % k else 0) for i in range(k)] if k else []


def is_empty(i: int) -> bool:
    return i % 67 == 1


def has_campaign(i: int) -> bool:
    return i % 31 != 2


def refuse_reason(members: int) -> str:
    if connection.vendor != "postgresql" and members > SQLITE_LIMIT:
        return f"合成数据超过 {SQLITE_LIMIT} 名党员时只能在 PostgreSQL 上生成（当前数据库：{connection.vendor}）。"
    return ""


# --- The tables and one batch of rows ---------------------------------------------------------------


def tables() -> dict[str, Table]:
    return {
        "org": Table(OrgUnit, ["id", "parent_id", "type", "code", "name", "path", "depth", "is_demo"]),
        "person": Table(Person, ["id", "org_id", "kind", "name", "gender", "category", "status", "is_demo"]),
        "campaign": Table(Campaign, ["id", "org_id", "title", "starts_on", "status", "created_at", "is_demo"]),
        "stage": Table(Stage, ["id", "campaign_id", "order", "code", "name", "starts_on", "ends_on", "status",
                               "signed_off_at"]),
        "item": Table(WorkItem, ["id", "stage_id", "order", "code", "name", "required", "audience", "actors",
                                 "rule", "params", "due_on"]),
        "lookback": Table(LookBackItem, ["id", "stage_id", "order", "text", "checked_at"]),
        "excusal": Table(Excusal, ["id", "campaign_id", "person_id", "work_item_id", "reason", "at"]),
        "review": Table(StageReview, ["id", "stage_id", "by_id", "rating", "comment", "at"]),
        "writing": Table(Writing, ["id", "campaign_id", "work_item_id", "author_id", "kind", "title", "status",
                                   "created_at", "submitted_at", "accepted_at", "branch_ok", "is_demo"]),
        "rectification": Table(RectificationItem, ["id", "org_id", "campaign_id", "title", "due_on", "status",
                                                   "created_at", "updated_at", "verified_at", "is_demo"]),
        "item_tally": Table(ItemTally, ["id", "work_item_id", "campaign_id", "tracked", "subjects", "done",
                                        "started", "excused", "computed_at"]),
        "branch_tally": Table(BranchTally, ["id", "org_id", "members", "campaign_id", "stage_order", "stage_name",
                                            "stage_ends_on", "required_expected", "required_done", "overdue",
                                            "overdue_items", "excused", "open_rectification",
                                            "overdue_rectification", "lookback_checked", "lookback_total",
                                            "last_review_at", "last_review_rating", "counted_on", "computed_at"]),
    }  # fmt: skip


# Insert order: a row's foreign keys point to rows of earlier tables (or of an earlier batch).
ORDER = ["person", "campaign", "stage", "item", "lookback", "excusal", "review", "writing", "rectification",
         "item_tally", "branch_tally"]  # fmt: skip


@dataclass
class Batch:
    t: dict[str, Table]
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, name: str, *values: Any) -> int:
        """Queue a row whose first value is its id, taken here; returns the id."""
        pk = self.t[name].take_ids(1)
        self.rows.setdefault(name, []).append((pk, *values))
        return pk

    def flush(self) -> int:
        written = 0
        with transaction.atomic():
            for name in ORDER:
                written += write(self.t[name], self.rows.get(name, []))
            # the nodes' sums follow the branch rows in the same transaction, as the refresher's do
            tallies.add_branches(row[1] for row in self.rows.get("branch_tally", []))
        self.rows = {}
        return written


# --- Generating ------------------------------------------------------------------------------------


@dataclass
class Context:
    today: date
    now: datetime
    reviewer_id: int
    seed: int


def at_noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def pick(rng: random.Random, outcomes: list[tuple[str, int]]) -> str:
    return rng.choices([o for o, _w in outcomes], [w for _o, w in outcomes])[0]


def seed_branch(b: Batch, ctx: Context, index: int, branch_id: int, size: int) -> None:
    """One branch's members, campaign and records, and its kept counts."""
    rng = random.Random(ctx.seed * 1_000_003 + index)
    people: list[int] = []
    away: set[int] = set()
    for _n in range(size):
        status = pick(rng, [("serving", 87), ("retired", 10), ("away", 3)])
        category = "probationary" if rng.random() < 0.05 else "formal"
        pk = b.t["person"].next_id
        b.add("person", branch_id, "member", f"合成党员{pk}", rng.choice("MF"), category, status, True)
        people.append(pk)
        if status == "away":
            away.add(pk)
    tally: dict[str, Any] = {"members": size}
    if has_campaign(index):
        tally.update(seed_campaign(b, ctx, rng, index, branch_id, people, away))
    b.add("branch_tally", branch_id, tally["members"], tally.get("campaign_id"), tally.get("stage_order"),
          tally.get("stage_name", ""), tally.get("stage_ends_on"), tally.get("required_expected", 0),
          tally.get("required_done", 0), tally.get("overdue", 0), tally.get("overdue_items", 0),
          tally.get("excused", 0), tally.get("open_rectification", 0), tally.get("overdue_rectification", 0),
          tally.get("lookback_checked", 0), tally.get("lookback_total", 0), tally.get("last_review_at"),
          tally.get("last_review_rating", ""), ctx.today, ctx.now)  # fmt: skip


def stage_dates(ctx: Context, current: int, behind: bool, rng: random.Random) -> list[tuple[date, date]]:
    """Each stage's (start, end): those before the open one are past, those after it still to come."""
    start = ctx.today - timedelta(days=40 if behind else 15)
    end = ctx.today - timedelta(days=rng.randint(3, 25)) if behind else ctx.today + timedelta(days=rng.randint(5, 20))
    dates = {current: (start, end)}
    for k in range(current - 1, 0, -1):
        ends = dates[k + 1][0] - timedelta(days=1)
        dates[k] = (ends - timedelta(days=STAGE_DAYS - 1), ends)
    for k in range(current + 1, len(STAGES) + 1):
        starts = dates[k - 1][1] + timedelta(days=1)
        dates[k] = (starts, starts + timedelta(days=STAGE_DAYS - 1))
    return [dates[k] for k in range(1, len(STAGES) + 1)]


def seed_campaign(
    b: Batch, ctx: Context, rng: random.Random, index: int, branch_id: int, people: list[int], away: set[int]
) -> dict[str, Any]:
    current = int(pick(rng, [("1", 30), ("2", 45), ("3", 25)]))
    behind = index % 5 == 3 or rng.random() < 0.1
    dates = stage_dates(ctx, current, behind, rng)
    campaign = b.add("campaign", branch_id, "合成数据·学习教育活动", dates[0][0], "open", ctx.now, True)
    for pk in sorted(away):
        b.add("excusal", campaign, pk, None, "长期外出务工", ctx.now)
    tally: dict[str, Any] = {"campaign_id": campaign}
    reviews: list[tuple[datetime, str]] = []
    for order, ((code, name, items), (starts, ends)) in enumerate(zip(STAGES, dates, strict=True), start=1):
        status = "closed" if order < current else "open" if order == current else "pending"
        stage = b.add("stage", campaign, order, code, name, starts, ends, status,
                      at_noon(ends) if status == "closed" else None)  # fmt: skip
        checked = 0
        for line, text in enumerate(LOOKBACK, start=1):
            done = status == "closed" or (status == "open" and rng.random() < 0.5)
            checked += done
            b.add("lookback", stage, line, text, at_noon(min(ends, ctx.today)) if done else None)
        counts = [
            seed_item(b, ctx, rng, campaign, stage, status, behind, order, item, ends, people, away)
            for order, item in enumerate(items, start=1)
        ]
        if status == "closed" and rng.random() < 0.5:
            rating = rng.choice(["good", "fair", "pass", "poor"])
            at = at_noon(ends + timedelta(days=2))
            b.add("review", stage, ctx.reviewer_id, rating, "合成数据：督导意见", at)
            reviews.append((at, rating))
        if status == "open":
            required = [c for c in counts if c["tracked"] and c["required"]]
            tally.update(
                stage_order=order,
                stage_name=name,
                stage_ends_on=ends,
                required_expected=sum(c["subjects"] - c["excused"] for c in required),
                required_done=sum(c["done"] for c in required),
                overdue=sum(c["overdue"] for c in counts),
                overdue_items=sum(1 for c in counts if c["overdue"]),
                excused=sum(c["excused"] for c in counts),
                lookback_checked=checked,
                lookback_total=len(LOOKBACK),
            )
    if reviews:
        tally["last_review_at"], tally["last_review_rating"] = max(reviews)
    if current >= 2:
        tally.update(seed_rectification(b, ctx, rng, campaign, branch_id))
    return tally


def seed_item(
    b: Batch, ctx: Context, rng: random.Random, campaign: int, stage: int, status: str, behind: bool,
    order: int, spec: tuple[str, str, str, bool], ends: date, people: list[int], away: set[int],
) -> dict[str, Any]:  # fmt: skip
    """A work item, its writings and excusals; the counts its provider will report."""
    code, name, rule, required = spec
    due_on = ends - timedelta(days=7) if code == "reflection" else None
    item = b.add("item", stage, order, code, name, required, "members", "self", rule, PARAMS, due_on)
    excused = set(away)
    if code == "self_analysis":
        for pk in people:
            if pk not in away and rng.random() < 0.01:
                b.add("excusal", campaign, pk, item, "病休", ctx.now)
                excused.add(pk)
    counts = {"tracked": bool(rule), "required": required, "subjects": len(people), "done": 0, "excused": 0,
              "started": 0, "overdue": 0}  # fmt: skip
    if status == "pending":
        return counts
    if rule:
        situation = "closed" if status == "closed" else "behind" if behind else "on_plan"
        situation = situation if required else "optional"
        done, started = seed_writings(b, ctx, rng, campaign, item, rule, situation, people, excused)
        late = status == "closed" or ctx.today > (due_on or ends)
        missing = len(people) - len(done) - len(excused - done)
        counts.update(done=len(done), excused=len(excused - done), started=len(started - done - excused),
                      overdue=missing if late else 0)  # fmt: skip
    b.add("item_tally", item, campaign, counts["tracked"], counts["subjects"], counts["done"], counts["started"],
          counts["excused"], ctx.now)  # fmt: skip
    return counts


def seed_writings(
    b: Batch, ctx: Context, rng: random.Random, campaign: int, item: int, rule: str, situation: str,
    people: list[int], excused: set[int],
) -> tuple[set[int], set[int]]:  # fmt: skip
    """Each member's piece for the item, or none; returns (accepted, written but not accepted)."""
    kind = KIND_OF_RULE[rule]
    done: set[int] = set()
    started: set[int] = set()
    for pk in people:
        # an excused member may still write, and then counts as done: done wins over excused
        outcome = ("accepted" if rng.random() < 0.1 else "") if pk in excused else pick(rng, OUTCOMES[situation])
        if not outcome:
            continue
        submitted = None if outcome == "draft" else ctx.now
        accepted = ctx.now if outcome == "accepted" else None
        b.add("writing", campaign, item, pk, kind, "合成数据·文稿", outcome, ctx.now, submitted, accepted,
              outcome == "accepted", True)  # fmt: skip
        (done if outcome == "accepted" else started).add(pk)
    return done, started


def seed_rectification(b: Batch, ctx: Context, rng: random.Random, campaign: int, branch_id: int) -> dict[str, int]:
    open_, overdue = 0, 0
    for _n in range(rng.randint(0, 4)):
        status = rng.choice([ItemStatus.OPEN, ItemStatus.IN_PROGRESS, ItemStatus.DONE, ItemStatus.VERIFIED])
        due_on = ctx.today + timedelta(days=rng.randint(-20, 30))
        verified = ctx.now if status == ItemStatus.VERIFIED else None
        b.add("rectification", branch_id, campaign, "合成数据·整改事项", due_on, status, ctx.now, ctx.now, verified,
              True)  # fmt: skip
        open_ += status != ItemStatus.VERIFIED
        overdue += status in (ItemStatus.OPEN, ItemStatus.IN_PROGRESS) and due_on < ctx.today
    return {"open_rectification": open_, "overdue_rectification": overdue}


# --- The whole province ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Seeded:
    province: OrgUnit
    branches: int
    members: int
    rows: int


def seed(shape: Shape, say: Callable[[str], None] = print) -> Seeded:
    """Build the province described by `shape`; one transaction per district, progress through `say`."""
    reason = refuse_reason(shape.members)
    if reason:
        raise ValueError(reason)
    t = tables()
    ctx = Context(today=timezone.localdate(), now=timezone.now(), reviewer_id=0, seed=shape.seed)
    sizes = shape.sizes()
    layout = shape.districts_by_city()
    province, branches = build_tree(t, layout)
    ctx.reviewer_id = reviewer(province)
    total, rows, shown = len(branches), 0, 0.0
    batch = Batch(t)
    for index, (district, branch_id) in enumerate(branches):
        seed_branch(batch, ctx, index, branch_id, sizes[index])
        if index + 1 < total and branches[index + 1][0] == district:
            continue
        rows += batch.flush()  # one transaction per district
        if index + 1 == total or monotonic() - shown > 2:
            shown = monotonic()
            say(f"  {index + 1:,}/{total:,} 个支部，{sum(sizes[: index + 1]):,} 名党员，{rows:,} 行")
    move_sequences(t.values())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Seeded(province=province, branches=total, members=sum(sizes), rows=rows)


def build_tree(t: dict[str, Table], layout: list[list[int]]) -> tuple[OrgUnit, list[tuple[int, int]]]:
    """The nodes, in one transaction; returns the province and (district id, branch id) in tree order."""
    nodes: list[tuple[Any, ...]] = []
    branches: list[tuple[int, int]] = []

    def add(parent: tuple[Any, ...] | None, type_: str, code: str, name: str) -> tuple[Any, ...]:
        pk = t["org"].take_ids(1)
        path = f"{parent[5] if parent else '/'}{pk}/"
        depth = parent[6] + 1 if parent else 0
        row = (pk, parent[0] if parent else None, type_, PREFIX + code, name, path, depth, True)
        nodes.append(row)
        return row

    province = add(None, OrgType.PROVINCE, "P", "合成省")
    for c, districts in enumerate(layout, start=1):
        city = add(province, OrgType.CITY, f"C{c}", f"合成{c}市")
        for d, count in enumerate(districts, start=1):
            district = add(city, OrgType.DISTRICT, f"C{c}-D{d}", f"合成{c}市{d}区")
            towns = split(count, min(count, 15)) if count else []
            for w, in_town in enumerate(towns, start=1):
                town = add(district, OrgType.PARTY_GROUP, f"C{c}-D{d}-T{w}", f"{c}-{d}区{w}镇党委")
                for k in range(1, in_town + 1):
                    branch = add(town, OrgType.BRANCH, f"C{c}-D{d}-T{w}-B{k}", f"{c}-{d}-{w}镇第{k}党支部")
                    branches.append((district[0], branch[0]))
    with transaction.atomic():
        write(t["org"], nodes)
    return OrgUnit.objects.get(pk=province[0]), branches


def reviewer(province: OrgUnit) -> int:
    """The synthetic supervisor who signed the stage reviews: a province-level 督导组 grant, no password.
    Written directly, not by org.services.grant_role, for the same reason as the rows (no audit)."""
    user, _created = get_user_model().objects.get_or_create(username=REVIEWER, defaults={"first_name": "合成督导组"})
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    RoleGrant.objects.get_or_create(user=user, org=province, role=Role.SUPERVISOR)
    return int(user.pk)


def exists() -> bool:
    return OrgUnit.objects.filter(code__startswith=PREFIX).exists()


# Deleting with the ORM would load a million objects to cascade; these statements delete the same rows,
# children first. Rows someone added by hand under a synthetic node (a version, a talk) stop it loudly.
CLEAR = [
    ("reports_itemtally", "campaign_id IN ({campaigns})"),
    ("reports_stagesummary", "campaign_id IN ({campaigns})"),
    ("reports_branchtally", "org_id IN ({orgs})"),
    ("reports_nodetally", "org_id IN ({orgs})"),
    ("writings_writing", "campaign_id IN ({campaigns})"),
    ("rectification_rectificationitem", "org_id IN ({orgs})"),
    ("campaigns_excusal", "campaign_id IN ({campaigns})"),
    ("campaigns_stagereview", "stage_id IN (SELECT id FROM campaigns_stage WHERE campaign_id IN ({campaigns}))"),
    ("campaigns_lookbackitem", "stage_id IN (SELECT id FROM campaigns_stage WHERE campaign_id IN ({campaigns}))"),
    ("campaigns_workitem", "stage_id IN (SELECT id FROM campaigns_stage WHERE campaign_id IN ({campaigns}))"),
    ("campaigns_stage", "campaign_id IN ({campaigns})"),
    ("campaigns_campaign", "id IN ({campaigns})"),
    ("org_person", "org_id IN ({orgs})"),
    ("org_rolegrant", "org_id IN ({orgs})"),
    ("core_job", "org_id IN ({orgs})"),
    ("org_orgunit", "id IN ({orgs})"),
]


def clear(say: Callable[[str], None] = print) -> int:
    """Remove every synthetic row; returns how many."""
    orgs = f"SELECT id FROM org_orgunit WHERE code LIKE '{PREFIX}%'"
    campaigns = f"SELECT id FROM campaigns_campaign WHERE org_id IN ({orgs})"
    removed = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for table, where in CLEAR:
            cursor.execute(f"DELETE FROM {table} WHERE {where.format(orgs=orgs, campaigns=campaigns)}")
            removed += max(cursor.rowcount, 0)
            say(f"  {table}: {cursor.rowcount:,}")
    get_user_model().objects.filter(username=REVIEWER).delete()
    return removed
