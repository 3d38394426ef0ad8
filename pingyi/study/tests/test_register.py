"""The register: all present in one tap, one tap per exception, one row per person and activity."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from conftest import World, add_member, add_members
from pingyi.core.models import AuditEntry
from pingyi.study import services
from pingyi.study.models import Attendance, Status
from pingyi.study.selectors import register

from .conftest import schedule

pytestmark = pytest.mark.django_db


def test_all_present_marks_everyone_not_yet_marked_and_a_second_tap_changes_nothing(world: World) -> None:
    add_members(world, 3)
    activity = schedule(world)
    services.mark_attendance(
        activity=activity, person=world.people["rater1"], status=Status.LEAVE, reason="出差", by=None
    )

    first = services.mark_all_present(activity=activity, by=world.users["secretary"])
    again = services.mark_all_present(activity=activity, by=world.users["secretary"])

    assert (first.added, again.added, again.changed) == (3, 0, False)
    marks = dict(Attendance.objects.filter(activity=activity).values_list("person__name", "status"))
    assert marks == {"王党员": "present", "党员01": "leave", "党员02": "present", "党员03": "present"}
    assert AuditEntry.objects.filter(action="study.all_present").count() == 1


def test_one_tap_moves_a_row_through_absent_leave_late_remote_and_back(world: World) -> None:
    activity = schedule(world)
    member = world.people["member"]
    services.mark_all_present(activity=activity, by=None)
    seen = []
    for _ in range(5):
        seen.append(services.cycle_attendance(activity=activity, person=member, by=None).status)
    assert seen == ["absent", "leave", "late", "remote", "present"]
    assert Attendance.objects.filter(activity=activity, person=member).count() == 1


def test_a_leave_keeps_its_reason_and_other_states_drop_it(world: World) -> None:
    activity = schedule(world)
    member = world.people["member"]
    row = services.mark_attendance(activity=activity, person=member, status="leave", reason=" 住院 ", by=None)
    assert row.reason == "住院"
    assert (
        services.mark_attendance(activity=activity, person=member, status="present", reason="x", by=None).reason == ""
    )


def test_someone_of_another_branch_cannot_be_put_on_the_register(world: World) -> None:
    stranger = add_member(world, "外支部", org="other_branch")
    with pytest.raises(ValidationError, match="不是本支部的党员"):
        services.mark_attendance(activity=schedule(world), person=stranger, status="present", by=None)


def test_the_register_lists_the_required_people_of_a_group_activity(world: World) -> None:
    add_member(world, "组外人")
    activity = schedule(world, audience="group", group=world.orgs["group"])
    assert [row.person.name for row in register(activity)] == ["王党员"]


def test_a_party_lecture_needs_a_lecturer(world: World) -> None:
    with pytest.raises(ValidationError, match="须写明讲课人"):
        schedule(world, code="party_lecture", lecturer_name="")


def test_scheduling_twice_returns_the_first_activity(world: World, kinds: Any) -> None:
    from pingyi.study.models import Activity

    first = schedule(world, title="学习党章")
    again = services.schedule_activity(
        org=world.orgs["branch"],
        plan=services.Plan(kind=first.kind, title="学习党章", starts_at=first.starts_at, ends_at=first.ends_at),
        by=None,
    )
    assert again.pk == first.pk and Activity.objects.count() == 1
