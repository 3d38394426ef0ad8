from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from conftest import World, add_member
from pingyi.campaigns.models import Campaign
from pingyi.core.models import AuditEntry
from pingyi.meetings import services
from pingyi.meetings.models import Attendee, Commitment, Criticism, LifeMeeting
from pingyi.meetings.selectors import default_attendees
from pingyi.opinions.models import Channel, Opinion, OpinionRound
from pingyi.rectification.models import ItemSource, RectificationItem

from .conftest import plan

pytestmark = pytest.mark.django_db


def test_default_attendees_are_the_roster_or_the_leadership(world: World, campaign: Campaign) -> None:
    leader = add_member(world, "张局长", leader=True)
    add_member(world, "外单位", org="other_branch")
    members = set(default_attendees(campaign.org, "organisational"))
    assert members == {world.people["member"], leader}
    assert list(default_attendees(campaign.org, "democratic")) == [leader]


def test_planning_twice_keeps_one_meeting(world: World, campaign: Campaign) -> None:
    first = plan(world, campaign, [world.people["member"]])
    again = plan(world, campaign, [world.people["member"]])
    assert first == again and LifeMeeting.objects.count() == 1 and Attendee.objects.count() == 1
    assert AuditEntry.objects.filter(action="meetings.planned").count() == 1


def test_a_plan_needs_attendees_of_the_branch(world: World, campaign: Campaign) -> None:
    with pytest.raises(ValidationError, match="请至少选择一名参会人员"):
        plan(world, campaign, [])
    stranger = add_member(world, "外单位", org="other_branch")
    with pytest.raises(ValidationError, match="参会人员须是本组织的人员"):
        plan(world, campaign, [stranger])
    assert not LifeMeeting.objects.exists()


def test_attendance_needs_a_reason_for_each_absentee_and_marks_the_meeting_held(
    world: World, campaign: Campaign
) -> None:
    away = add_member(world, "冯外出")
    meeting = plan(world, campaign, [world.people["member"], away])
    here, gone = meeting.attendees.order_by("id")
    with pytest.raises(ValidationError, match="冯外出"):
        services.record_attendance(
            meeting=meeting,
            rows=[services.AttendanceRow(here, True), services.AttendanceRow(gone, False, " ")],
            by=None,
        )
    assert meeting.attendees.filter(present__isnull=False).count() == 0
    services.record_attendance(
        meeting=meeting,
        rows=[services.AttendanceRow(here, True), services.AttendanceRow(gone, False, "外出务工")],
        by=None,
    )
    meeting.refresh_from_db()
    gone.refresh_from_db()
    assert meeting.status == LifeMeeting.Status.HELD and (gone.present, gone.absence_reason) == (False, "外出务工")


def record(world: World, attendee: Attendee, critic: Any = None, **extra: Any) -> Attendee:
    fields: dict[str, Any] = {
        "self_criticism": "理论学习不够系统",
        "response": "诚恳接受",
        "criticisms": [services.CriticismInput(critic, "对群众来访不够耐心")],
        "commitments": [services.CommitmentInput("每月到窗口值班两天", date(2005, 6, 30))],
        **extra,
    }
    return services.record_member(attendee=attendee, by=world.users["secretary"], **fields)


def test_a_members_record_is_saved_and_a_repeat_adds_no_duplicate_rows(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    meeting = plan(world, campaign, [world.people["member"], chen])
    attendee = meeting.attendees.get(person=world.people["member"])
    record(world, attendee, chen)
    record(world, attendee, chen)
    attendee.refresh_from_db()
    assert attendee.self_criticism == "理论学习不够系统" and attendee.response == "诚恳接受"
    assert [(c.critic, c.text) for c in attendee.criticisms.all()] == [(chen, "对群众来访不够耐心")]
    assert attendee.commitments.get().due_on == date(2005, 6, 30)
    assert not Opinion.objects.exists()  # the meeting has no opinion round


def test_criticism_becomes_an_opinion_about_the_member_when_the_meeting_has_a_round(
    world: World, campaign: Campaign
) -> None:
    chen = add_member(world, "陈党员")
    round = OpinionRound.objects.create(org=world.orgs["branch"], campaign=campaign, title="征求意见")
    meeting = plan(world, campaign, [world.people["member"], chen], opinion_round=round)
    record(world, meeting.attendees.get(person=world.people["member"]), chen)
    opinion = Opinion.objects.get()
    assert (opinion.round, opinion.channel, opinion.concerns_person) == (round, Channel.MEETING, world.people["member"])
    assert Criticism.objects.get().opinion == opinion


def test_a_crash_while_recording_leaves_the_record_as_it_was(
    world: World, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    chen = add_member(world, "陈党员")
    round = OpinionRound.objects.create(org=world.orgs["branch"], campaign=campaign, title="征求意见")
    meeting = plan(world, campaign, [world.people["member"], chen], opinion_round=round)
    attendee = meeting.attendees.get(person=world.people["member"])

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.opinions, "record_opinion", broken)
    with pytest.raises(RuntimeError):
        record(world, attendee, chen)
    attendee.refresh_from_db()
    assert attendee.self_criticism == "" and not Criticism.objects.exists() and not Commitment.objects.exists()


def test_a_commitment_becomes_the_members_rectification_item_once(world: World, campaign: Campaign) -> None:
    meeting = plan(world, campaign, [world.people["member"]])
    commitment = record(world, meeting.attendees.get()).commitments.get()
    item = services.rectify_commitment(commitment=commitment, by=world.users["secretary"])
    again = services.rectify_commitment(commitment=commitment, by=world.users["secretary"])
    commitment.refresh_from_db()
    assert again == item and commitment.rectification_item == item and RectificationItem.objects.count() == 1
    assert (item.source, item.owner, item.due_on, item.campaign) == (
        ItemSource.COMMITMENT,
        world.people["member"],
        date(2005, 6, 30),
        campaign,
    )
    assert item.title == "每月到窗口值班两天" and "专题组织生活会" in item.source_label


def test_a_criticism_becomes_an_item_and_its_opinion_points_at_it(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    round = OpinionRound.objects.create(org=world.orgs["branch"], campaign=campaign, title="征求意见")
    meeting = plan(world, campaign, [world.people["member"], chen], opinion_round=round)
    criticism = record(world, meeting.attendees.get(person=world.people["member"]), chen).criticisms.get()
    item = services.rectify_criticism(criticism=criticism, by=world.users["secretary"])
    assert item.source == ItemSource.OPINION and item.owner == world.people["member"]
    assert Opinion.objects.get().rectification_item == item


def test_a_failed_item_leaves_the_commitment_unlinked(
    world: World, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = plan(world, campaign, [world.people["member"]])
    commitment = record(world, meeting.attendees.get()).commitments.get()

    def half_done(**kwargs: Any) -> None:
        RectificationItem.objects.create(org=kwargs["org"], title=kwargs["title"])
        raise RuntimeError("crash after the insert")

    monkeypatch.setattr(services.rectification, "item_from_record", half_done)
    with pytest.raises(RuntimeError):
        services.rectify_commitment(commitment=commitment, by=None)
    commitment.refresh_from_db()
    assert commitment.rectification_item is None and not RectificationItem.objects.exists()


def test_an_attendee_whose_words_are_recorded_cannot_be_dropped_from_the_plan(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    meeting = plan(world, campaign, [world.people["member"], chen])
    record(world, meeting.attendees.get(person=world.people["member"]))
    new_plan = services.Plan(kind="organisational", theme="改了主题", held_on=meeting.held_on)
    with pytest.raises(ValidationError, match="王党员"):
        services.update_plan(meeting=meeting, plan=new_plan, attendees=[chen], supervisors=[], by=None)
    services.update_plan(meeting=meeting, plan=new_plan, attendees=[world.people["member"]], supervisors=[], by=None)
    meeting.refresh_from_db()
    assert meeting.theme == "改了主题" and [a.person for a in meeting.attendees.all()] == [world.people["member"]]
