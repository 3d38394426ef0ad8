import io
from pathlib import Path
from typing import Any

import docx
import pytest

from conftest import PASSWORD, World, add_member, login_in_browser
from pingyi.campaigns.models import Campaign
from pingyi.meetings.models import LifeMeeting
from pingyi.rectification.models import RectificationItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_life_meeting_is_planned_recorded_and_its_minutes_downloaded(
    page: Any, live_server: Any, world: World, campaign: Campaign, tmp_path: Path
) -> None:
    chen = add_member(world, "陈支委", committee=True)
    away = add_member(world, "冯外出")
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/meetings/campaign/{campaign.pk}/")
    page.click("text=计划组织生活会")
    for person in (chen, away, world.people["member"]):  # the roster is ticked already
        assert page.is_checked(f'#plan-form input[name=attendees][value="{person.pk}"]')
    page.fill("#id_theme", "保持先进性专题组织生活会")
    page.fill("#id_held_on", "2026-12-01")
    page.fill("#id_place", "三楼会议室")
    page.select_option("#id_chair", str(chen.pk))
    page.click("#plan-form button[type=submit]")
    page.wait_for_url("**/meetings/*/")
    meeting = LifeMeeting.objects.get()

    page.click("#record-attendance")
    page.uncheck(f"#id_present_{meeting.attendees.get(person=away).pk}")
    page.fill(f"#id_reason_{meeting.attendees.get(person=away).pk}", "外出务工")
    page.click("#attendance-form button[type=submit]")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert "已召开" in page.inner_text("#meeting-status")

    member_row = page.locator(f'#prerequisites tr[data-person="{world.people["member"].pk}"]')
    member_row.locator("text=记录发言").click()
    page.fill("#id_self_criticism", "理论学习不够系统，联系群众不够。")
    page.select_option("#id_criticism-0-critic", str(chen.pk))
    page.fill("#id_criticism-0-text", "服务群众要更耐心")
    page.fill("#id_response", "诚恳接受，立即整改。")
    page.fill("#id_commitment-0-text", "每月到窗口值班两天")
    page.click("#member-form button[type=submit]")
    page.wait_for_selector("#commitments")
    page.click("#commitments button[type=submit]")  # one click: a rectification item
    page.wait_for_selector("#commitments .badge")
    assert RectificationItem.objects.get().owner == world.people["member"]

    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    with page.expect_download() as info:
        page.click("#download-minutes")
    saved = tmp_path / "minutes.docx"
    info.value.save_as(saved)
    text = [p.text for p in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs if p.text]
    assert text[0] == "局机关党支部组织生活会记录"
    assert "主持人：陈支委" in text and "缺席人员：冯外出（外出务工）" in text
    assert "理论学习不够系统，联系群众不够。" in text and "陈支委：服务群众要更耐心" in text
    assert "1. 每月到窗口值班两天" in text
