"""The branch routine all year (三会一课): what is due, what was held, what is missing, from the activities.

The cadence is data: a branch's RoutineRequirement rows (its secretary edits them on the cadence page), or
the standing one of DOMAIN.md when it has none (members' meeting quarterly; committee meeting, group meeting
and theme party day monthly; a party lecture yearly), each so many times a period (once by default). Nothing
is filled in: the activities of the slot's kind held in the period are the record.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingyi.org.models import OrgUnit

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
class RoutineLine:
    slot: str
    slot_label: str
    period_label: str
    cells: list[PeriodCell]
    count: int = 1

    @property
    def missed(self) -> int:
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


def routine(org: OrgUnit, year: int, today: date | None = None, since: date | None = None) -> list[RoutineLine]:
    """`since`: records_since(org), when the caller has it already (the page shows it too)."""
    today = today or timezone.localdate()
    since = since or records_since(org) or today
    held: dict[str, list[Activity]] = defaultdict(list)
    activities = Activity.objects.in_subtree(org).filter(starts_at__year=year).exclude(kind__routine_slot="")
    for activity in activities.select_related("kind").order_by("starts_at"):
        if timezone.localtime(activity.starts_at).date() <= today:
            held[activity.kind.routine_slot].append(activity)
    lines = []
    for slot, period, count in cadence(org):
        cells = []
        for label, first, last in periods(period, year):
            in_period = [a for a in held[slot] if first <= timezone.localtime(a.starts_at).date() <= last]
            if len(in_period) >= count:
                state = HELD
            elif last < since:
                state = UNRECORDED
            elif last < today:
                state = MISSED
            elif first <= today:
                state = DUE
            else:
                state = LATER
            cells.append(PeriodCell(label=label, first=first, last=last, held=in_period, state=state))
        lines.append(
            RoutineLine(
                slot=slot,
                slot_label=str(Slot(slot).label),
                period_label=str(Period(period).label),
                cells=cells,
                count=count,
            )
        )
    return lines
