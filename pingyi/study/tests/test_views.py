"""Pages: the phone register's htmx taps, exports, make-up study, the stage and campaign pages, the member's list."""

import io
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from django.utils import timezone

from conftest import World, add_member
from pingyi.campaigns.models import Campaign
from pingyi.org import services as org_services
from pingyi.org.models import OrgType
from pingyi.study import services
from pingyi.study.models import Attendance, MakeUp

from .conftest import at, schedule

pytestmark = pytest.mark.django_db


def test_a_tap_on_a_row_returns_the_row_in_its_next_state(world: World) -> None:
    activity = schedule(world)
    member = world.people["member"]
    client = world.client("secretary")
    client.post(f"/study/{activity.pk}/register/all/", HTTP_HX_REQUEST="true")
    response = client.post(f"/study/{activity.pk}/register/{member.pk}/", HTTP_HX_REQUEST="true")
    assert 'data-status="absent"' in response.content.decode()
    assert response.templates[0].name == "study/_register_row.html"
    response = client.post(f"/study/{activity.pk}/register/{member.pk}/", HTTP_HX_REQUEST="true")
    assert "请假原因" in response.content.decode()
    client.post(f"/study/{activity.pk}/register/{member.pk}/", {"status": "leave", "reason": "出差"})
    assert Attendance.objects.get(person=member).reason == "出差"


def test_the_register_of_another_branch_is_not_found(world: World) -> None:
    activity = schedule(world)
    assert world.client("outsider").get(f"/study/{activity.pk}/register/").status_code == 404
    assert world.client("member").get(f"/study/{activity.pk}/register/").status_code == 403


def test_the_register_exports_and_the_sign_in_sheet_prints(world: World) -> None:
    activity = schedule(world, title="学习党章")
    services.mark_all_present(activity=activity, by=None)
    client = world.client("secretary")
    sheet = client.get(f"/study/{activity.pk}/register.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    values = [[c for c in row if c is not None] for row in book.active.iter_rows(values_only=True)]
    assert values[2][:3] == [1, "王党员", "出席"] and values[-1] == ["合计", "出席 1 人次"]
    pdf = client.get(f"/study/{activity.pk}/sign-in-sheet.pdf")
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"


def test_a_make_up_is_recorded_and_refused_for_someone_present(world: World) -> None:
    activity = schedule(world, start=timezone.now() - timedelta(days=2))
    row = services.mark_attendance(activity=activity, person=world.people["member"], status="absent", by=None)
    client = world.client("secretary")
    today = timezone.localdate().isoformat()
    data = {"what": "自学党章", "studied_on": today, "confirmed_how": "in_person"}
    assert client.post(f"/study/makeup/{row.pk}/", data).status_code == 302
    assert MakeUp.objects.get().what == "自学党章"
    services.mark_attendance(activity=activity, person=world.people["member"], status="present", by=None)
    refused = client.post(f"/study/makeup/{row.pk}/", data)
    assert "出席了这次活动，不需要补学" in refused.content.decode()


def test_the_campaign_page_counts_each_stage(world: World, campaign: Campaign) -> None:
    stage = campaign.stages.get(order=1)
    day = stage.starts_on
    activity = schedule(world, start=at(day.year, day.month, day.day), stage=stage)
    add_member(world, "张同志")
    services.mark_all_present(activity=activity, by=None)
    page = world.client("member").get(f"/study/campaign/{campaign.pk}/").content.decode()
    assert "集中学习 1 次" in page and "2 人次" in page
    services.mark_attendance(activity=activity, person=world.people["张同志"], status="absent", by=None)
    sheet = world.client("secretary").get(f"/study/stage/{stage.pk}/statistics.xlsx")
    rows = [
        [c for c in row if c is not None]
        for row in openpyxl.load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
    ]
    assert ["王党员", 1, 0, 0] in rows and ["张同志", 0, 1, 0] in rows
    assert [r for r in rows if r and r[0] == "张同志" and "未补学" in r]


def test_a_member_sees_their_next_activities(world: World) -> None:
    schedule(world, title="学习党章", place="三楼")
    second = org_services.create_org_unit(
        parent=world.orgs["branch"], type=OrgType.GROUP, code="BRANCH-G2", name="第二党小组", by=None
    )
    schedule(world, title="小组会", audience="group", group=second)  # not their group
    page = world.client("member").get("/study/mine/").content.decode()
    assert "学习党章" in page and "小组会" not in page


def test_the_month_list_reads_in_a_fixed_number_of_queries(world: World, django_assert_max_num_queries: Any) -> None:
    for n in range(5):
        schedule(world, start=at(2026, 3, 2 + n))
    client = world.client("secretary")
    with django_assert_max_num_queries(12):
        page = client.get("/study/org/BRANCH/", {"month": "2026-03"})
    assert page.content.decode().count("/study/") > 5


def test_the_home_page_shows_a_member_their_next_activity(world: World) -> None:
    schedule(world, title="学习党章", place="三楼会议室")
    page = world.client("member").get("/").content.decode()
    assert "学习活动：学习党章" in page and "三楼会议室" in page
    assert "学习活动：学习党章" not in world.client("office").get("/").content.decode()


def test_anonymising_a_member_keeps_their_marks_and_clears_their_words(world: World) -> None:
    from pingyi.study import personal_data

    activity = schedule(world, start=timezone.now() - timedelta(days=1))
    member = world.people["member"]
    row = services.mark_attendance(activity=activity, person=member, status="leave", reason="住院治疗", by=None)
    services.record_makeup(attendance=row, what="自学", studied_on=timezone.localdate(), confirmed_how="phone", by=None)
    exported = personal_data.export(member)
    assert exported["study_attendance"][0]["reason"] == "住院治疗"
    personal_data.anonymise(member)
    row.refresh_from_db()
    assert (row.status, row.reason, row.makeup.what) == ("leave", "（已删除）", "（已删除）")


def test_the_english_ui_names_the_kinds_in_english_and_chinese_keeps_the_stored_name(world: World) -> None:
    from django.conf import settings

    activity = schedule(world, code="discussion", title="结合本职谈先进性")
    client = world.client("member")
    assert "专题讨论" in client.get(f"/study/{activity.pk}/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/study/{activity.pk}/").content.decode()
    assert "Topic discussion" in page and "专题讨论" not in page
