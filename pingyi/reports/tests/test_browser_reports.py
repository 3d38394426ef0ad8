"""The campaign as a whole, as its readers click through it: the secretary's progress page and stage summary,
and the supervisor's roll-up."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from docx import Document as read_docx

from conftest import PASSWORD, World, add_member, login_in_browser, open_campaign
from pingyi.opinions import services as opinions
from pingyi.opinions.models import Channel, OpinionRound
from pingyi.org import services as org_services
from pingyi.org.models import OrgType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretary_reads_progress_then_drafts_edits_and_finalises_the_stage_summary(
    page: Any, live_server: Any, world: World
) -> None:
    campaign = open_campaign(world, starts_on=timezone.localdate() - timedelta(days=10))
    round_ = OpinionRound.objects.create(org=world.orgs["branch"], campaign=campaign, title="征求意见")
    opinions.record_opinion(round=round_, channel=Channel.PAPER, text="窗口要增加", by=None)
    page.set_viewport_size({"width": 390, "height": 844})  # a secretary's phone
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    page.click("#workspaces >> text=进展")
    page.wait_for_url("**/progress/**")
    matrix = page.locator("#matrix")
    assert "王党员" in matrix.inner_text()
    # Each item's counts read under its name (no six squeezed columns), and the page itself never scrolls sideways.
    assert "未开始" in page.locator("#item-states .item-counts").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("text=阶段总结")
    page.wait_for_url("**/summary/")
    assert "各项工作完成情况" in page.inner_text("main") and "【待补充】" in page.inner_text("main")
    page.fill("#id_shortcomings", "个别同志学习笔记抄得多、想得少。")
    page.click("button[name=final][value='0']")
    page.wait_for_load_state()
    assert "已保存为新版本" in page.inner_text("main") and "第 1 版" in page.inner_text("#versions")
    page.click("button[name=final][value='1']")
    page.wait_for_load_state()
    assert "定稿" in page.inner_text("#final-note")
    with page.expect_download() as download:
        page.click("#final-note a")
    docx = read_docx(download.value.path())
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "学习动员阶段总结" in text and "个别同志学习笔记抄得多、想得少。" in text
    assert page.locator("#summary-form textarea").count() == 0  # final: nothing left to edit


def test_the_supervisor_finds_the_branch_behind_and_the_idle_one_drills_down_and_cannot_edit(
    page: Any, live_server: Any, world: World
) -> None:
    behind = open_campaign(world, starts_on=timezone.localdate() - timedelta(days=75))
    open_campaign(world, org=world.orgs["other_branch"], starts_on=timezone.localdate())
    idle = org_services.create_org_unit(
        parent=world.orgs["other_bureau"], type=OrgType.BRANCH, code="IDLE", name="未开展支部", by=None
    )
    add_member(world, "闲党员", org=idle)
    login_in_browser(page, live_server, "supervisor", PASSWORD)
    page.click(".supervision-card a.fw-semibold")
    page.wait_for_url("**/reports/org/P-C-D/")
    # Without a worker the recount ran within the visit (and the home page's before it): no waiting.
    first_row = page.locator("#attention tbody tr").first
    assert first_row.get_attribute("data-org") == "BRANCH"
    assert "未开展支部" in page.inner_text("#flagged")
    page.click("#children a >> text=区劳动和社会保障局党组")
    page.wait_for_url("**/reports/org/BUREAU/")
    page.click("#attention tbody tr >> nth=0 >> a")
    page.wait_for_url(f"**/campaign/{behind.pk}/progress/")
    assert page.locator("#matrix").is_visible()
    assert page.locator("form[method=post]").count() <= 2  # the footer's language switch and logout, nothing else
