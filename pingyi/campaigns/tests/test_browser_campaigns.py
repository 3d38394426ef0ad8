from typing import Any

import pytest

from conftest import PASSWORD, World, login_in_browser, open_campaign
from pingyi.campaigns.models import Campaign, CampaignTemplate, Stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNTICKED_COUNT_IS = "([id, n]) => document.querySelectorAll(`#lookback-${id} [aria-pressed=false]`).length === n"


def test_secretary_opens_a_campaign_ticks_the_lookback_and_signs_off(
    page: Any, live_server: Any, world: World, campaign_templates: None
) -> None:
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/campaigns/new/")
    page.select_option("#id_org", str(world.orgs["branch"].pk))
    page.select_option("#id_template", str(CampaignTemplate.objects.get(code="advanced-nature-education").pk))
    page.fill("#id_starts_on", "2005-01-10")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/campaigns/*/")
    campaign = Campaign.objects.get()
    first = campaign.stages.get(order=1)
    checklist = page.locator(f"#lookback-{first.pk}")
    # Signing off too early: the refusal appears beside the button, where the secretary is looking.
    page.click(f"#sign-off-{first.pk}")
    refusal = checklist.locator(f"#sign-off-error-{first.pk}")
    refusal.wait_for()
    assert "回头看还有" in refusal.inner_text() and refusal.is_visible()
    assert not any("回头看还有" in text for text in page.locator("main > .alert").all_inner_texts())
    unticked = checklist.locator(".lookback-toggle[aria-pressed=false]")
    total = unticked.count()
    assert total == first.lookback_items.count()
    for left in range(total, 0, -1):
        unticked.first.click()  # htmx swaps the checklist in place
        page.wait_for_function(UNTICKED_COUNT_IS, arg=[first.pk, left - 1])
    second = campaign.stages.get(order=2)
    page.click(f"#sign-off-{first.pk}")  # htmx: the page reloads on the stage that opened
    page.wait_for_url(f"**/campaigns/{campaign.pk}/#stage-{second.pk}")
    page.wait_for_load_state()
    assert "“分析评议”开始" in page.inner_text("main")
    assert "进行中" in page.inner_text(f"#stage-{second.pk} .stage-status")
    second.refresh_from_db()
    assert second.status == Stage.Status.OPEN


def test_member_sees_their_tasks_on_a_phone_without_scrolling_sideways(
    page: Any, live_server: Any, world: World, campaign: Campaign
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login_in_browser(page, live_server, "member", PASSWORD)
    tasks = page.inner_text("#my-tasks")
    assert "我的任务" in tasks and "学习动员" in tasks and "参加百题测试" in tasks
    assert "讲党课" not in tasks
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_ordinary_members_tasks_on_a_phone_hold_only_what_they_can_do_and_say_what_is_not_yet_due(
    page: Any, live_server: Any, world: World, campaign_templates: None
) -> None:
    from django.utils import timezone

    open_campaign(world, starts_on=timezone.localdate())  # stage 1 open today, stage 2 in 60 days
    page.set_viewport_size({"width": 390, "height": 844})
    login_in_browser(page, live_server, "member", PASSWORD)
    tasks = page.locator("#my-tasks")
    text = tasks.inner_text()

    # What the member does now: their own items, each with its state and the time left.
    reflection = tasks.locator("li[data-item=reflection]")
    assert "撰写学习心得" in reflection.inner_text() and "待完成" in reflection.inner_text()
    assert "还剩 59 天" in reflection.inner_text()
    # Not theirs to do: leaders' items, the committee's opinion about them, the secretary's notice.
    for others in ["讲党课", "征求意见", "形成评议意见", "通报评议情况", "参加专题民主生活会"]:
        assert others not in text, others
    assert "已逾期" not in text  # nothing is late before its time

    # The next stage's own items are listed as not yet due, with the day the stage opens.
    upcoming = tasks.locator(".upcoming-tasks")
    assert "下一阶段“分析评议”" in upcoming.inner_text() and "开始" in upcoming.inner_text()
    analysis = upcoming.locator("li[data-item=self-analysis]")
    assert "撰写个人党性分析材料" in analysis.inner_text() and "未到时间" in analysis.inner_text()
    assert upcoming.locator("li[data-item=evaluation-opinion]").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
