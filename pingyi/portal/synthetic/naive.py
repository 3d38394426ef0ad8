"""The roll-up's figures counted the naive way: one SQL statement over the raw rows (the tree walked by
parent, members, campaigns, stages, work items, writings, excusals, rectification items), nothing kept.

It knows the writing rules only (a work item is done for a member once one piece is accepted), which
is what the synthetic province's tracked items use; an item with no rule is not tracked, as the
providers say. It is the yardstick the kept counts (reports.BranchTally) must equal, at any size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction

from pingyi.org.models import OrgUnit
from pingyi.reports.selectors import Rollup
from pingyi.reports.tallies import BRANCH_TYPES
from pingyi.writings.models import REFLECTION_RULE, SELF_ANALYSIS_RULE

FIGURES = (
    "branches", "without_campaign", "without_members", "members", "required_expected", "required_done",
    "overdue", "overdue_items", "excused", "open_rectification", "overdue_rectification",
)  # fmt: skip

SQL = """
WITH RECURSIVE
tree(child_id, org_id) AS (
    SELECT id, id FROM org_orgunit WHERE parent_id = %(root)s
    UNION ALL
    SELECT t.child_id, o.id FROM tree t JOIN org_orgunit o ON o.parent_id = t.org_id
),
branch(child_id, id) AS (
    SELECT t.child_id, o.id FROM tree t JOIN org_orgunit o ON o.id = t.org_id WHERE o.type IN %(types)s
    UNION ALL
    SELECT NULL, id FROM org_orgunit WHERE id = %(root)s AND type IN %(types)s
),
below(branch_id, org_id) AS (
    SELECT id, id FROM branch
    UNION ALL
    SELECT b.branch_id, o.id FROM below b JOIN org_orgunit o ON o.parent_id = b.org_id
),
member(branch_id, person_id) AS (
    SELECT b.branch_id, p.id FROM below b JOIN org_person p ON p.org_id = b.org_id AND p.kind = 'member'
),
campaign(id, branch_id) AS (
    SELECT c.id, c.org_id FROM campaigns_campaign c JOIN branch b ON b.id = c.org_id
    WHERE c.status = 'open' AND NOT EXISTS (
        SELECT 1 FROM campaigns_campaign d WHERE d.org_id = c.org_id AND d.status = 'open'
        AND (d.starts_on > c.starts_on OR (d.starts_on = c.starts_on AND d.id > c.id)))
),
item(id, campaign_id, branch_id, required, due_on) AS (
    SELECT w.id, c.id, c.branch_id, w.required, COALESCE(w.due_on, s.ends_on)
    FROM campaign c
    JOIN campaigns_stage s ON s.campaign_id = c.id AND s.status = 'open'
    JOIN campaigns_workitem w ON w.stage_id = s.id
    WHERE w.audience = 'members' AND w.rule IN %(rules)s
),
accepted(item_id, person_id) AS (
    SELECT DISTINCT x.work_item_id, x.author_id FROM writings_writing x JOIN item i ON i.id = x.work_item_id
    WHERE x.status = 'accepted'
),
excused(item_id, person_id) AS (
    SELECT DISTINCT i.id, e.person_id FROM item i JOIN campaigns_excusal e ON e.campaign_id = i.campaign_id
    WHERE e.work_item_id IS NULL OR e.work_item_id = i.id
),
subject(item_id, branch_id, required, done, excused, late) AS (
    SELECT i.id, i.branch_id, i.required,
           CASE WHEN a.person_id IS NULL THEN 0 ELSE 1 END,
           CASE WHEN a.person_id IS NULL AND e.person_id IS NOT NULL THEN 1 ELSE 0 END,
           CASE WHEN i.due_on < %(today)s THEN 1 ELSE 0 END
    FROM item i
    JOIN member m ON m.branch_id = i.branch_id
    LEFT JOIN accepted a ON a.item_id = i.id AND a.person_id = m.person_id
    LEFT JOIN excused e ON e.item_id = i.id AND e.person_id = m.person_id
),
per_item(item_id, branch_id, expected, done, excused, overdue, required) AS (
    SELECT item_id, branch_id, SUM(1 - excused), SUM(done), SUM(excused),
           SUM(CASE WHEN done = 0 AND excused = 0 AND late = 1 THEN 1 ELSE 0 END),
           MAX(CASE WHEN required THEN 1 ELSE 0 END)
    FROM subject GROUP BY item_id, branch_id
),
per_branch(branch_id, required_expected, required_done, overdue, overdue_items, excused) AS (
    SELECT branch_id, SUM(expected * required), SUM(done * required), SUM(overdue),
           SUM(CASE WHEN overdue > 0 THEN 1 ELSE 0 END), SUM(excused)
    FROM per_item GROUP BY branch_id
),
members(branch_id, n) AS (SELECT branch_id, COUNT(*) FROM member GROUP BY branch_id),
rectification(branch_id, open, overdue) AS (
    SELECT c.branch_id, SUM(CASE WHEN r.status <> 'verified' THEN 1 ELSE 0 END),
           SUM(CASE WHEN r.status IN ('open', 'in_progress') AND r.due_on < %(today)s THEN 1 ELSE 0 END)
    FROM campaign c JOIN rectification_rectificationitem r ON r.campaign_id = c.id GROUP BY c.branch_id
)
SELECT b.child_id,
       COUNT(*),
       SUM(CASE WHEN c.id IS NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN COALESCE(m.n, 0) = 0 THEN 1 ELSE 0 END),
       SUM(COALESCE(m.n, 0)),
       SUM(COALESCE(f.required_expected, 0)), SUM(COALESCE(f.required_done, 0)),
       SUM(COALESCE(f.overdue, 0)), SUM(COALESCE(f.overdue_items, 0)), SUM(COALESCE(f.excused, 0)),
       SUM(COALESCE(r.open, 0)), SUM(COALESCE(r.overdue, 0))
FROM branch b
LEFT JOIN campaign c ON c.branch_id = b.id
LEFT JOIN members m ON m.branch_id = b.id
LEFT JOIN per_branch f ON f.branch_id = b.id
LEFT JOIN rectification r ON r.branch_id = b.id
GROUP BY b.child_id
"""


@dataclass(frozen=True)
class Figures:
    """Per child node (by code) and for the whole subtree."""

    children: dict[str, dict[str, int]]
    total: dict[str, int]


def naive_figures(root: OrgUnit, today: date) -> Figures:
    """Counted from the raw rows, in one statement, as the page would without kept counts."""
    params = {
        "root": root.pk,
        "types": tuple(str(t) for t in BRANCH_TYPES),
        "rules": (REFLECTION_RULE, SELF_ANALYSIS_RULE),
        "today": today,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The recursive walks make the planner guess millions of rows, and PostgreSQL's JIT then spends
            # seconds compiling a statement that runs in milliseconds: off, to give the naive count its best.
            cursor.execute("SET LOCAL jit = off")
        sql, values = _portable(SQL, params)
        cursor.execute(sql, values)
        rows = cursor.fetchall()
    codes = dict(OrgUnit.objects.filter(parent=root).values_list("pk", "code"))
    children: dict[str, dict[str, int]] = {}
    total = dict.fromkeys(FIGURES, 0)
    for child_id, *values in rows:
        found = {name: int(v or 0) for name, v in zip(FIGURES, values, strict=True)}
        if child_id is not None:
            children[codes[child_id]] = found
        for name, v in found.items():
            total[name] += v
    return Figures(children=children, total=total)


def _portable(sql: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
    """Named parameters and IN-lists spelled positionally, which every backend's cursor takes."""
    values: list[Any] = []

    def place(name: str) -> str:
        value = params[name]
        if isinstance(value, tuple):
            values.extend(value)
            return "(" + ", ".join(["%s"] * len(value)) + ")"
        values.append(value)
        return "%s"

    out, rest = [], sql
    while "%(" in rest:
        head, _sep, tail = rest.partition("%(")
        name, _close, rest = tail.partition(")s")
        out += [head, place(name)]
    return "".join(out) + rest, values


def kept_figures(view: Rollup) -> Figures:
    """The same figures as the roll-up page shows them, read from the kept counts."""

    def of(totals: object) -> dict[str, int]:
        return {name: int(getattr(totals, name)) for name in FIGURES}

    return Figures(children={row.org.code: of(row.totals) for row in view.children}, total=of(view.totals))


def differences(kept: Figures, naive: Figures) -> list[str]:
    """Where the two disagree, in words; empty when identical."""
    found = []
    for code in sorted(set(kept.children) | set(naive.children)):
        a, b = kept.children.get(code), naive.children.get(code)
        if a != b:
            found.append(f"{code}: kept={a} naive={b}")
    if kept.total != naive.total:
        found.append(f"total: kept={kept.total} naive={naive.total}")
    return found
