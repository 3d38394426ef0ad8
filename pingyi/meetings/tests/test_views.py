import io
from collections.abc import Callable
from datetime import date

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import World, add_member
from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.campaigns.progress import PeopleIndex, item_progress
from pingyi.meetings import services
from pingyi.meetings.models import Attendee, Commitment, LifeMeeting
from pingyi.opinions.models import OpinionRound
from pingyi.opinions.services import record_opinion
from pingyi.org import services as org_services
from pingyi.org.models import OrgType
from pingyi.talks import services as talks

from .conftest import plan

pytestmark = pytest.mark.django_db


def detail(meeting: LifeMeeting) -> str:
    return reverse("meetings:detail", kwargs={"meeting_id": meeting.pk})


def test_planning_page_saves_the_plan(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    client = world.client("secretary")
    url = reverse("meetings:plan", kwargs={"campaign_id": campaign.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "organisational",
            "theme": "专题组织生活会",
            "held_on": "2026-12-01",
            "starts_at": "14:30",
            "place": "三楼会议室",
            "attendees": [chen.pk, world.people["member"].pk],
        },
    )
    meeting = LifeMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(meeting)
    assert meeting.attendees.count() == 2 and meeting.place == "三楼会议室"


def test_every_default_attendee_is_ticked(world: World, campaign: Campaign) -> None:
    leader = add_member(world, "张局长", leader=True)
    client = world.client("secretary")
    url = reverse("meetings:plan", kwargs={"campaign_id": campaign.pk})
    form = client.get(url).context["form"]
    assert set(form.initial["attendees"]) == {leader.pk, world.people["member"].pk}
    democratic = client.get(url + "?kind=democratic").context["form"]
    assert democratic.initial["attendees"] == [leader.pk] and democratic.initial["kind"] == "democratic"


def test_the_supervision_group_above_is_offered_for_higher_level_attendance(world: World, campaign: Campaign) -> None:
    group = org_services.create_org_unit(
        parent=world.orgs["district"], type=OrgType.SUPERVISION_GROUP, code="SG", name="督导组", by=None
    )
    fang = org_services.save_person(org=group, by=None, name="方组长", kind="staff")
    form = world.client("secretary").get(reverse("meetings:plan", kwargs={"campaign_id": campaign.pk})).context["form"]
    assert list(form.fields["supervisors"].queryset) == [fang]


def test_a_plan_without_attendees_is_refused_in_chinese(world: World, campaign: Campaign) -> None:
    url = reverse("meetings:plan", kwargs={"campaign_id": campaign.pk})
    response = world.client("secretary").post(url, {"kind": "organisational", "theme": "", "held_on": "x"})
    page = response.content.decode()
    assert response.status_code == 200 and "这个字段是必填项" in page and "输入一个有效的日期" in page
    assert not LifeMeeting.objects.exists()


def test_prerequisites_say_untracked_when_no_app_keeps_the_record(
    world: World, campaign: Campaign, provide: Callable[[str, set[int]], None]
) -> None:
    meeting = plan(world, campaign, [world.people["member"]])
    page = world.client("secretary").get(detail(meeting)).content.decode()
    assert "系统不记录" in page and "已通过审阅" not in page


def test_prerequisites_warn_but_do_not_block(
    world: World, campaign: Campaign, provide: Callable[[str, set[int]], None]
) -> None:
    chen = add_member(world, "陈党员", leader=True)
    member = world.people["member"]
    provide("writings.self_analysis_accepted", {chen.pk})
    provide("opinions.solicited", set())
    talks.record_talk(
        campaign=campaign,
        held_on=timezone.localdate(),
        topic="谈心",
        summary="摘要",
        side_a=[chen],
        side_b=[member],
        by=None,
    )
    round = OpinionRound.objects.create(org=world.orgs["branch"], campaign=campaign, title="征求意见")
    record_opinion(round=round, channel="paper", text="多下基层", concerns_person=member, by=None)
    record_opinion(round=round, channel="paper", text="少开会", concerns_person=member, by=None)
    meeting = plan(world, campaign, [member, chen])
    response = world.client("secretary").get(detail(meeting))
    rows = {r.attendee.person_id: r for r in response.context["rows"]}
    assert (rows[chen.pk].analysis, rows[member.pk].analysis) == ("done", "todo")
    assert (rows[chen.pk].talks_owed, rows[member.pk].talks_owed) == (0, 0)
    assert (rows[chen.pk].solicited, rows[member.pk].solicited) == ("todo", "")  # only leaders solicit
    assert (rows[chen.pk].opinions, rows[member.pk].opinions) == (0, 2)
    page = response.content.decode()
    assert "2 人的会前准备还没有完成；会议照常可以召开和记录。" in page and 'id="record-attendance"' in page


def test_an_invited_member_sees_the_plan_and_only_their_own_preparation(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    meeting = plan(world, campaign, [world.people["member"], chen], place="三楼会议室")
    page = world.client("member").get(detail(meeting)).content.decode()
    assert "三楼会议室" in page and "我的会前准备" in page and "陈党员" not in page
    assert "下载会议记录" not in page
    listing = world.client("member").get(reverse("meetings:campaign", kwargs={"campaign_id": campaign.pk}))
    assert meeting.theme in listing.content.decode()


def test_a_member_not_invited_is_refused(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    meeting = plan(world, campaign, [chen])
    assert world.client("member").get(detail(meeting)).status_code == 403
    listing = world.client("member").get(reverse("meetings:campaign", kwargs={"campaign_id": campaign.pk}))
    assert meeting.theme not in listing.content.decode()


def test_attendance_form_asks_the_reason_for_an_absentee(world: World, campaign: Campaign) -> None:
    away = add_member(world, "冯外出")
    meeting = plan(world, campaign, [world.people["member"], away])
    here, gone = meeting.attendees.order_by("id")
    url = reverse("meetings:attendance", kwargs={"meeting_id": meeting.pk})
    client = world.client("office")
    refused = client.post(url, {f"present_{here.pk}": "on", f"reason_{gone.pk}": ""})
    assert refused.status_code == 200 and "请填写缺席原因" in refused.content.decode()
    assert not Attendee.objects.filter(present__isnull=False).exists()
    client.post(url, {f"present_{here.pk}": "on", f"reason_{gone.pk}": "外出务工"})
    gone.refresh_from_db()
    assert (gone.present, gone.absence_reason) == (False, "外出务工")


def test_recording_a_member_and_turning_a_commitment_into_an_item(world: World, campaign: Campaign) -> None:
    chen = add_member(world, "陈党员")
    meeting = plan(world, campaign, [world.people["member"], chen])
    attendee = meeting.attendees.get(person=world.people["member"])
    url = reverse("meetings:attendee", kwargs={"attendee_id": attendee.pk})
    client = world.client("secretary")
    assert f'<option value="{chen.pk}">陈党员</option>' in client.get(url).content.decode()
    data = {
        "self_criticism": "学习不够",
        "response": "接受批评",
        "criticism-TOTAL_FORMS": "2",
        "criticism-INITIAL_FORMS": "0",
        "criticism-0-critic": chen.pk,
        "criticism-0-text": "工作不够主动",
        "commitment-TOTAL_FORMS": "2",
        "commitment-INITIAL_FORMS": "0",
        "commitment-0-text": "主动认领重点工作",
        "commitment-0-due_on": "2026-12-31",
    }
    assert client.post(url, data).status_code == 302
    client.post(url, data)  # a double submit
    commitment = Commitment.objects.get()
    rectify = reverse("meetings:commitment_rectify", kwargs={"commitment_id": commitment.pk})
    client.post(rectify)
    client.post(rectify)
    commitment.refresh_from_db()
    assert commitment.rectification_item is not None and commitment.rectification_item.owner == world.people["member"]
    page = client.get(url).content.decode()
    assert "工作不够主动" in page and "已转为整改事项" in page
    assert attendee.criticisms.count() == 1


def test_minutes_download_as_word_in_the_usual_order(world: World, campaign: Campaign) -> None:
    chen, away = add_member(world, "陈党员"), add_member(world, "冯外出")
    meeting = plan(world, campaign, [world.people["member"], chen, away], place="三楼会议室", held_on=date(2026, 12, 1))
    meeting.chair = chen
    meeting.save()
    rows = {a.person_id: a for a in meeting.attendees.all()}
    services.record_attendance(
        meeting=meeting,
        rows=[
            services.AttendanceRow(rows[world.people["member"].pk], True),
            services.AttendanceRow(rows[chen.pk], True),
            services.AttendanceRow(rows[away.pk], False, "外出务工"),
        ],
        by=None,
    )
    services.record_member(
        attendee=rows[world.people["member"].pk],
        self_criticism="理论学习不够系统",
        response="虚心接受",
        criticisms=[services.CriticismInput(chen, "服务意识要加强")],
        commitments=[services.CommitmentInput("每周学习两次", date(2026, 12, 31))],
        by=None,
    )
    response = world.client("supervisor").get(reverse("meetings:minutes", kwargs={"meeting_id": meeting.pk}))
    assert response.status_code == 200 and "filename*=UTF-8''" in response["Content-Disposition"]
    text = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs if p.text]
    assert text[0] == "局机关党支部组织生活会记录"
    assert "时间：2026年12月1日" in text and "地点：三楼会议室" in text and "主持人：陈党员" in text
    assert "出席人员：王党员、陈党员" in text and "缺席人员：冯外出（外出务工）" in text
    member_at = text.index("二、王党员")
    assert text[member_at + 1 : member_at + 9] == [
        "（一）自我批评",
        "理论学习不够系统",
        "（二）他人批评",
        "陈党员：服务意识要加强",
        "（三）表态回应",
        "虚心接受",
        "（四）整改承诺",
        "1. 每周学习两次（2026年12月31日前完成）",
    ]
    # 陈党员 spoke only about others: no section of empty headings, one line for who has nothing recorded yet.
    assert "三、陈党员" not in text and "发言尚未记录：陈党员。" in text
    assert not any("冯外出" in t and "、" not in t and "（" not in t for t in text)
    assert text[-1] == "2026年12月1日"


def test_the_work_items_count_who_attended_which_kind_of_meeting(world: World, campaign: Campaign) -> None:
    leader = add_member(world, "张局长", leader=True)
    member = world.people["member"]
    meeting = plan(world, campaign, [member, leader])
    rows = {a.person_id: a for a in meeting.attendees.all()}
    services.record_attendance(
        meeting=meeting,
        rows=[services.AttendanceRow(rows[member.pk], True), services.AttendanceRow(rows[leader.pk], False, "病假")],
        by=None,
    )
    index = PeopleIndex([campaign.org])
    organisational = WorkItem.objects.get(stage__campaign=campaign, code="organisational-life-meeting")
    democratic = WorkItem.objects.get(stage__campaign=campaign, code="democratic-life-meeting")
    assert item_progress(organisational, campaign.org, index).done_ids == {member.pk}
    assert item_progress(democratic, campaign.org, index).done_ids == frozenset()
    assert item_progress(organisational, campaign.org, index).url == reverse(
        "meetings:campaign", kwargs={"campaign_id": campaign.pk}
    )


def test_the_meeting_page_keeps_its_query_count_flat(world: World, campaign: Campaign) -> None:
    """However many attend, the page asks the same number of queries (no query per attendee)."""
    client = world.client("secretary")
    counts = []
    for size in (2, 12):
        people = [add_member(world, f"党员{size}-{i}") for i in range(size)]
        meeting = plan(world, campaign, people, theme=f"会议{size}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail(meeting)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_minutes_of_a_meeting_with_nothing_recorded_are_short(world: World, campaign: Campaign) -> None:
    from pingyi.core.tests.rendering import measure
    from pingyi.meetings.minutes import minutes_document

    members = [add_member(world, f"党员{n:02d}") for n in range(29)]
    meeting = plan(world, campaign, members, place="三楼会议室", held_on=date(2026, 12, 1))
    document = minutes_document(meeting)
    texts = [b.text for b in document.blocks]
    assert not any("未记录）" in t for t in texts)
    assert sum(t.startswith("发言尚未记录：") for t in texts) == 1 and "党员28" in texts[-2]
    assert len(measure(document.to_pdf())) == 1  # one page, not 13
