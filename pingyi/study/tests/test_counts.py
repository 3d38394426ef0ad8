"""What the campaign and the stage summary count: providers, stage statistics, the routine, study hours."""

from datetime import date, timedelta
from typing import Any

import pytest

from conftest import World, add_member
from pingyi.campaigns.models import Campaign
from pingyi.campaigns.progress import get_rule
from pingyi.study import services
from pingyi.study.models import Status
from pingyi.study.routine import routine
from pingyi.study.selectors import stage_statistics, study_hours

from .conftest import at, schedule

pytestmark = pytest.mark.django_db


def _stage_items(campaign: Campaign) -> Any:
    stage = campaign.stages.get(order=1)
    return stage, {item.code: item for item in stage.work_items.all()}


def _people(world: World) -> Any:
    from pingyi.org.models import Person

    return Person.objects.members().in_subtree(world.orgs["branch"])


def test_attendance_counts_present_late_remote_and_made_up_absences(world: World, campaign: Campaign) -> None:
    stage, items = _stage_items(campaign)
    other = add_member(world, "缺课者")
    member = world.people["member"]
    day = stage.starts_on + timedelta(days=1)
    sessions = [schedule(world, start=at(day.year, day.month, day.day, 8 + 2 * n), stage=stage) for n in range(3)]
    for activity, status in zip(sessions, ["present", "late", "remote"], strict=True):
        services.mark_attendance(activity=activity, person=member, status=status, by=None)
    missed = services.mark_attendance(activity=sessions[0], person=other, status=Status.LEAVE, reason="病假", by=None)
    services.record_makeup(
        attendance=missed, what="自学", studied_on=day + timedelta(days=1), confirmed_how="phone", by=None
    )

    item = items["attendance"]
    item.params = {"min_sessions": 3}
    report = get_rule("study.attendance").func(item, _people(world))  # type: ignore[union-attr]
    assert report.done == {member.pk}
    assert report.started == {other.pk}
    assert report.left[other.pk] == "还差 2 次"


def test_the_discussion_item_counts_only_topic_discussions(world: World, campaign: Campaign) -> None:
    stage, items = _stage_items(campaign)
    day = stage.starts_on + timedelta(days=2)
    study = schedule(world, start=at(day.year, day.month, day.day), stage=stage)
    services.mark_attendance(activity=study, person=world.people["member"], status="present", by=None)
    report = get_rule("study.attendance").func(items["topic-discussion"], _people(world))  # type: ignore[union-attr]
    assert report.done == set()
    talk = schedule(world, code="discussion", start=at(day.year, day.month, day.day, 14), stage=stage)
    services.mark_attendance(activity=talk, person=world.people["member"], status="present", by=None)
    report = get_rule("study.attendance").func(items["topic-discussion"], _people(world))  # type: ignore[union-attr]
    assert report.done == {world.people["member"].pk}


def test_a_lecture_given_in_the_stage_counts_for_its_lecturer(world: World, campaign: Campaign) -> None:
    stage, items = _stage_items(campaign)
    leader = add_member(world, "林书记", leader=True)
    day = stage.starts_on + timedelta(days=3)
    schedule(world, code="party_lecture", start=at(day.year, day.month, day.day), stage=stage, lecturer=leader)
    report = get_rule("study.lecture_given").func(items["party-lecture"], _people(world))  # type: ignore[union-attr]
    assert set(report.done) == {leader.pk}


def test_stage_statistics_count_sessions_person_times_and_make_ups(world: World, campaign: Campaign) -> None:
    stage, _items = _stage_items(campaign)
    other = add_member(world, "缺课者")
    day = stage.starts_on + timedelta(days=1)
    first = schedule(world, start=at(day.year, day.month, day.day), stage=stage)
    second = schedule(world, code="video", start=at(day.year, day.month, day.day, 14), stage=stage)
    schedule(world, code="committee_meeting", start=at(day.year, day.month, day.day + 1), stage=stage)
    for activity in (first, second):
        services.mark_attendance(activity=activity, person=other, status="absent", by=None)
        services.mark_all_present(activity=activity, by=None)
    services.record_makeup(
        attendance=first.attendances.get(person=other), what="补看", studied_on=day, confirmed_how="in_person", by=None
    )

    stats = stage_statistics(campaign, stage)
    assert (stats.activities, stats.sessions, stats.person_times) == (3, 2, 2)
    assert (len(stats.absentees), stats.made_up, stats.not_made_up) == (2, 1, 1)
    assert dict(stats.activities_by_kind) == {"集中学习": 1, "观看电教片": 1, "支委会": 1}
    lines = {line.person.name: (line.attended, line.missed, line.made_up) for line in stats.members}
    assert lines == {"王党员": (2, 0, 0), "缺课者": (0, 2, 1)}


def test_the_routine_shows_a_missed_monthly_meeting_and_what_is_due(world: World) -> None:
    schedule(world, code="committee_meeting", start=at(2026, 1, 15))
    schedule(world, code="committee_meeting", start=at(2026, 3, 10))
    schedule(world, code="members_meeting", start=at(2026, 2, 20))
    lines = {line.slot: line for line in routine(world.orgs["branch"], 2026, today=date(2026, 4, 5))}
    committee = [(c.label, c.state) for c in lines["committee_meeting"].cells[:5]]
    assert committee == [("1月", "held"), ("2月", "missed"), ("3月", "held"), ("4月", "due"), ("5月", "later")]
    assert lines["committee_meeting"].missed == 1
    assert [c.state for c in lines["members_meeting"].cells] == ["held", "due", "later", "later"]
    assert lines["party_lecture"].cells[0].state == "due"


def test_study_hours_count_attended_sessions_and_make_ups_but_not_committee_meetings(world: World) -> None:
    member = world.people["member"]
    study = schedule(world, start=at(2026, 3, 1), hours=3)
    missed = schedule(world, start=at(2026, 3, 8), hours=2)
    committee = schedule(world, code="committee_meeting", start=at(2026, 3, 9))
    services.mark_attendance(activity=study, person=member, status="present", by=None)
    services.mark_attendance(activity=committee, person=member, status="present", by=None)
    row = services.mark_attendance(activity=missed, person=member, status="absent", by=None)
    services.record_makeup(attendance=row, what="补学", studied_on=date(2026, 3, 9), confirmed_how="group", by=None)
    (line,) = study_hours(world.orgs["branch"], 2026)
    assert (line.hours, line.required, line.short) == (5, 32, 27)
