"""The branch's 三会一课 cadence, set by its secretary: how often, how many times, and back to the standard."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from conftest import World
from pingyi.core.models import AuditEntry
from pingyi.org import services as org_services
from pingyi.org.models import OrgType
from pingyi.study import services
from pingyi.study.models import RoutineRequirement
from pingyi.study.routine import cadence, routine, standing

from .conftest import at, kind, schedule

pytestmark = pytest.mark.django_db

TWICE_MONTHLY_GROUPS = [("committee_meeting", "quarter", 1), ("group_meeting", "month", 2)]


def test_a_cadence_of_two_group_meetings_a_month_counts_a_month_with_one_as_missed(world: World) -> None:
    branch = world.orgs["branch"]
    assert services.save_cadence(org=branch, lines=TWICE_MONTHLY_GROUPS, by=world.users["secretary"]).changed
    group = {"audience": "group", "group": world.orgs["group"]}  # the branch's one party group
    schedule(world, code="group_meeting", start=at(2026, 1, 8), **group)
    schedule(world, code="group_meeting", start=at(2026, 1, 22), **group)
    schedule(world, code="group_meeting", start=at(2026, 2, 12), **group)
    lines = {line.slot: line for line in routine(branch, 2026, today=date(2026, 3, 5))}
    assert set(lines) == {"committee_meeting", "group_meeting"}
    assert [c.state for c in lines["group_meeting"].cells[:3]] == ["held", "missed", "due"]
    assert [c.state for c in lines["committee_meeting"].cells] == ["due", "later", "later", "later"]


def test_saving_the_same_cadence_again_changes_nothing_and_reset_returns_the_standard(world: World) -> None:
    branch, secretary = world.orgs["branch"], world.users["secretary"]
    services.save_cadence(org=branch, lines=TWICE_MONTHLY_GROUPS, by=secretary)
    assert not services.save_cadence(org=branch, lines=list(reversed(TWICE_MONTHLY_GROUPS)), by=secretary).changed
    assert AuditEntry.objects.filter(action="study.cadence_changed").count() == 1
    assert services.reset_cadence(org=branch, by=secretary).changed
    assert cadence(branch) == standing() and not RoutineRequirement.objects.exists()


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "至少要求一项"),
        ([("group_meeting", "week", 1)], "每月、每季度或每年"),
        ([("group_meeting", "month", 0)], "1到31"),
        ([("group_meeting", "month", 1), ("group_meeting", "year", 1)], "项目有误"),
    ],
)
def test_a_bad_cadence_is_refused_and_nothing_changes(world: World, lines: list, message: str) -> None:
    branch = world.orgs["branch"]
    services.save_cadence(org=branch, lines=TWICE_MONTHLY_GROUPS, by=None)
    with pytest.raises(ValidationError, match=message):
        services.save_cadence(org=branch, lines=lines, by=None)
    assert cadence(branch) == TWICE_MONTHLY_GROUPS


def test_the_page_saves_what_the_secretary_chose_and_refuses_a_count_of_zero(world: World) -> None:
    client, code = world.client("secretary"), world.orgs["branch"].code
    form = {f"{slot}_period": period for slot, period, _count in standing()}
    form |= {f"{slot}_count": 1 for slot, _period, _count in standing()}
    refused = client.post(f"/study/org/{code}/routine/cadence/", {**form, "group_meeting_count": 0})
    assert "group_meeting_count" in refused.context["form"].errors and not RoutineRequirement.objects.exists()
    saved = client.post(
        f"/study/org/{code}/routine/cadence/", {**form, "theme_day_period": "", "group_meeting_count": 3}
    )
    assert saved.status_code == 302
    assert ("group_meeting", "month", 3) in cadence(world.orgs["branch"])
    assert "theme_day" not in {slot for slot, _p, _c in cadence(world.orgs["branch"])}


def test_months_before_the_first_record_are_unrecorded_not_missed(world: World) -> None:
    """A branch that starts using the system in the autumn held its spring meetings on paper, if at all."""
    branch = world.orgs["branch"]
    schedule(world, code="committee_meeting", start=at(2026, 9, 8))
    lines = {line.slot: line for line in routine(branch, 2026, today=date(2026, 11, 5))}
    states = [c.state for c in lines["committee_meeting"].cells]
    assert states[:8] == ["unrecorded"] * 8 and states[8:11] == ["held", "missed", "due"]
    assert lines["committee_meeting"].missed == 1


def test_group_meetings_are_judged_per_party_group(world: World) -> None:
    """Two groups: the first met in January and February, the second only in January; a meeting of the whole
    branch counts for neither. February is missed by the second group alone."""
    branch, first = world.orgs["branch"], world.orgs["group"]
    second = org_services.create_org_unit(
        parent=branch, type=OrgType.GROUP, code="BRANCH-G2", name="第二党小组", by=None
    )
    for day, group in [(at(2026, 1, 8), first), (at(2026, 1, 9), second), (at(2026, 2, 12), first)]:
        schedule(world, code="group_meeting", start=day, audience="group", group=group)
    schedule(world, code="group_meeting", start=at(2026, 2, 20))  # the whole branch: no group's meeting
    line = {line.slot: line for line in routine(branch, 2026, today=date(2026, 3, 5))}["group_meeting"]
    rows = {row.group.code: [c.state for c in row.cells[:3]] for row in line.groups}
    assert rows == {"BRANCH-G1": ["held", "held", "due"], "BRANCH-G2": ["held", "missed", "due"]}
    assert [c.state for c in line.cells[:3]] == ["held", "missed", "due"]
    assert (line.missed, line.unassigned) == (1, 1)


def test_a_branch_without_groups_counts_its_group_meetings_as_one_line(world: World) -> None:
    other = world.orgs["other_branch"]  # no party groups under it
    start = at(2026, 1, 8)
    plan = services.Plan(
        kind=kind("group_meeting"), title="一月党小组会", starts_at=start, ends_at=start.replace(hour=11)
    )
    services.schedule_activity(org=other, plan=plan, by=None)
    line = {line.slot: line for line in routine(other, 2026, today=date(2026, 3, 5))}["group_meeting"]
    assert not line.groups and [c.state for c in line.cells[:3]] == ["held", "missed", "due"]
