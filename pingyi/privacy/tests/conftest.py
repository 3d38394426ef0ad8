"""A member with a record in every app, built row by row: what export and anonymisation must reach."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from pingyi.campaigns.models import Excusal
from pingyi.evaluation.models import (
    Decision,
    EvaluationRound,
    Participation,
    RaterSource,
    RoundMember,
    SelfAssessment,
    VoteCount,
)
from pingyi.feedback.models import Feedback
from pingyi.meetings.models import Attendee, Criticism, Kind, LifeMeeting
from pingyi.opinions.models import Opinion, OpinionRound
from pingyi.org import services as org_services
from pingyi.rectification.models import ItemStatus, RectificationItem
from pingyi.talks.models import Talk, TalkParticipant
from pingyi.writings.models import Writing, WritingKind, WritingVersion

SECRET_TEXT = "我的党性分析：某年某月生病住院，家中困难。"


@dataclass
class Record:
    person: Any
    round: EvaluationRound
    talk: Talk
    writing: Writing


@pytest.fixture
def record(world: World, campaign: Any) -> Record:
    member = world.people["member"]
    org_services.set_posts(person=member, posts=[{"org": world.orgs["branch"], "title": "组织委员"}], by=None)
    now = timezone.now()
    item = campaign.stages.first().work_items.first()
    writing = Writing.objects.create(
        campaign=campaign, work_item=item, author=member, kind=WritingKind.SELF_ANALYSIS, title="党性分析",
        status=Writing.Status.SUBMITTED, text=SECRET_TEXT, submitted_at=now,
    )  # fmt: skip
    WritingVersion.objects.create(
        writing=writing, number=1, title="党性分析", text=SECRET_TEXT, word_count=len(SECRET_TEXT), submitted_at=now
    )
    talk = Talk.objects.create(
        org=world.orgs["branch"], held_on=dt.date(2005, 2, 1), topic="谈心", summary="谈到其家庭困难"
    )
    secretary = org_services.save_person(org=world.orgs["branch"], by=None, name="李书记")
    TalkParticipant.objects.create(talk=talk, person=secretary, side="a")
    TalkParticipant.objects.create(talk=talk, person=member, side="b")
    meeting = LifeMeeting.objects.create(
        org=world.orgs["branch"], kind=Kind.ORGANISATIONAL, theme="组织生活会", held_on=dt.date(2005, 3, 1)
    )
    attendee = Attendee.objects.create(meeting=meeting, person=member, present=True, self_criticism="我学习不够")
    Criticism.objects.create(attendee=attendee, critic=secretary, text="王党员迟到较多")
    round_ = EvaluationRound.objects.create(campaign=campaign, org=world.orgs["branch"], title="民主评议")
    subject = RoundMember.objects.create(round=round_, person=member)
    SelfAssessment.objects.create(member=subject, text="自评：合格", grade=1)
    Decision.objects.create(member=subject, grade=1, opinion="王党员表现合格", reason="一贯表现好", decided_at=now)
    Participation.objects.create(round=round_, member=subject)
    VoteCount.objects.create(round=round_, subject=subject, source=RaterSource.MEMBERS, grade_0=3, grade_1=5)
    # The database locks an opened round's members (evaluation migration 0002): close it once filled.
    EvaluationRound.objects.filter(pk=round_.pk).update(status=EvaluationRound.Status.CLOSED, closed_at=now)
    Feedback.objects.create(campaign=campaign, person=member, strengths="工作认真", status="sent", sent_at=now)
    opinions = OpinionRound.objects.create(org=world.orgs["branch"], title="征求意见")
    Opinion.objects.create(
        round=opinions, channel="online", text="王党员态度好", concerns_person=member,
        source_name="某用人单位", contact_name="张先生", contact_phone="13900000000",
    )  # fmt: skip
    RectificationItem.objects.create(
        org=world.orgs["branch"], title="改进作风", owner=member, suggested_owner=member, status=ItemStatus.VERIFIED
    )
    Excusal.objects.create(campaign=campaign, person=member, reason="重病住院")
    return Record(person=member, round=round_, talk=talk, writing=writing)
