"""The branch routine all year (三会一课): what is due, what was held, what is missing, from the activities.

The cadence is data: a branch's RoutineRequirement rows (its secretary edits them on the cadence page), or
the standing one of DOMAIN.md when it has none (members' meeting quarterly; committee meeting, group meeting
and theme party day monthly; a party lecture yearly), each so many times a period (once by default). Nothing
is filled in: the activities of the slot's kind held in the period are the record.

Group meetings (党小组会) are judged per party group where the branch has groups: each group must meet each
period, so the line has one row per group. A group meeting is that group's when it was scheduled for the group
(audience "a group") or held by the group's own node; one scheduled for the whole branch counts for no group
and the page says so. A branch without groups counts its group meetings as one line, as before.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingyi.org.models import OrgType, OrgUnit

from .models import Activity, Period, RoutineRequirement, Slot

STANDING = [
    (Slot.MEMBERS_MEETING, Period.QUARTER),
    (Slot.COMMITTEE_MEETING, Period.MONTH),
    (Slot.GROUP_MEETING, Period.MONTH),
    (Slot.PARTY_LECTURE, Period.YEAR),
    (Slot.THEME_DAY, Period.MONTH),
]

HELD, MISSED, DUE, LATER, UNRECORDED = "held", "missed", "due", "later", "unrecorded"
STATES = {HELD: _("已召开"), MISSED: _("缺"), DUE: _("本期待开"), LATER: _("未到"), UNRECORDED: _("无记录")}


@dataclass(frozen=True)
class PeriodCell:
    label: str
    first: date
    last: date
    held: list[Activity]
    state: str

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])


@dataclass(frozen=True)
class GroupRow:
    """One party group's meetings of a slot judged per group (党小组会)."""

    group: OrgUnit
    cells: list[PeriodCell]

    @property
    def missed(self) -> int:
        return sum(1 for c in self.cells if c.state == MISSED)


@dataclass(frozen=True)
class RoutineLine:
    slot: str
    slot_label: str
    period_label: str
    cells: list[PeriodCell]  # with groups: each period at its worst group's state
    count: int = 1
    groups: list[GroupRow] = field(default_factory=list)
    unassigned: int = 0  # group meetings of the year held for the whole branch: they count for no group

    @property
    def missed(self) -> int:
        if self.groups:
            return sum(row.missed for row in self.groups)
        return sum(1 for c in self.cells if c.state == MISSED)


def standing() -> list[tuple[str, str, int]]:
    return [(str(slot), str(period), 1) for slot, period in STANDING]


def cadence(org: OrgUnit) -> list[tuple[str, str, int]]:
    """(slot, period, times a period), the branch's own or the standing one."""
    rows = list(RoutineRequirement.objects.filter(org=org).values_list("slot", "period", "count"))
    return rows or standing()


def periods(period: str, year: int) -> list[tuple[str, date, date]]:
    if period == Period.YEAR:
        return [(str(_("全年")), date(year, 1, 1), date(year, 12, 31))]
    step = 3 if period == Period.QUARTER else 1
    found = []
    for start in range(1, 13, step):
        first = date(year, start, 1)
        nxt = date(year + (start + step > 12), (start + step - 1) % 12 + 1, 1)
        label = _("第%(n)d季度") % {"n": (start + 2) // 3} if step == 3 else _("%(n)d月") % {"n": start}
        found.append((str(label), first, nxt - timedelta(days=1)))
    return found


def records_since(org: OrgUnit) -> date | None:
    """The day of the branch's first activity in the system: a period that ended before it is not a missed
    meeting but one nobody recorded here (a branch that starts using Pingyi in November held its meetings of
    January on paper)."""
    first = Activity.objects.in_subtree(org).order_by("starts_at").values_list("starts_at", flat=True).first()
    return timezone.localtime(first).date() if first else None


def party_groups(org: OrgUnit) -> list[OrgUnit]:
    return list(OrgUnit.objects.in_subtree(org).filter(type=OrgType.GROUP).order_by("path"))


def _group_of(activity: Activity, groups: list[OrgUnit]) -> OrgUnit | None:
    """The group a meeting belongs to: the group it was scheduled for, or the group node that held it."""
    for group in groups:
        if activity.group_id == group.pk or activity.org.is_within(group):
            return group
    return None


def _state(held: int, count: int, first: date, last: date, today: date, since: date) -> str:
    if held >= count:
        return HELD
    if last < since:
        return UNRECORDED
    if last < today:
        return MISSED
    return DUE if first <= today else LATER


def _cells(period: str, year: int, held: list[Activity], count: int, today: date, since: date) -> list[PeriodCell]:
    cells = []
    for label, first, last in periods(period, year):
        in_period = [a for a in held if first <= timezone.localtime(a.starts_at).date() <= last]
        state = _state(len(in_period), count, first, last, today, since)
        cells.append(PeriodCell(label=label, first=first, last=last, held=in_period, state=state))
    return cells


WORST_FIRST = [MISSED, DUE, UNRECORDED, LATER, HELD]


def _worst(rows: list[GroupRow]) -> list[PeriodCell]:
    """Each period at the state of the group that did worst in it (held only when every group met)."""
    merged = []
    for cells in zip(*(row.cells for row in rows), strict=True):
        state = min((c.state for c in cells), key=WORST_FIRST.index)
        held = [a for c in cells for a in c.held]
        merged.append(
            PeriodCell(label=cells[0].label, first=cells[0].first, last=cells[0].last, held=held, state=state)
        )
    return merged


def routine(org: OrgUnit, year: int, today: date | None = None, since: date | None = None) -> list[RoutineLine]:
    """`since`: records_since(org), when the caller has it already (the page shows it too)."""
    today = today or timezone.localdate()
    since = since or records_since(org) or today
    held: dict[str, list[Activity]] = defaultdict(list)
    activities = Activity.objects.in_subtree(org).filter(starts_at__year=year).exclude(kind__routine_slot="")
    for activity in activities.select_related("kind", "org").order_by("starts_at"):
        if timezone.localtime(activity.starts_at).date() <= today:
            held[activity.kind.routine_slot].append(activity)
    groups = party_groups(org)
    lines = []
    for slot, period, count in cadence(org):
        rows: list[GroupRow] = []
        unassigned: list[Activity] = []
        if slot == Slot.GROUP_MEETING and groups:
            by_group: dict[int, list[Activity]] = defaultdict(list)
            for activity in held[slot]:
                found = _group_of(activity, groups)
                (by_group[found.pk] if found else unassigned).append(activity)
            rows = [GroupRow(g, _cells(period, year, by_group[g.pk], count, today, since)) for g in groups]
        lines.append(
            RoutineLine(
                slot=slot,
                slot_label=str(Slot(slot).label),
                period_label=str(Period(period).label),
                cells=_worst(rows) if rows else _cells(period, year, held[slot], count, today, since),
                count=count,
                groups=rows,
                unassigned=len(unassigned),
            )
        )
    return lines
