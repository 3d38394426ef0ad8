from typing import Any

import pytest

from conftest import PASSWORD, World, login_in_browser
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
    unticked = checklist.locator(".lookback-toggle[aria-pressed=false]")
    total = unticked.count()
    assert total == first.lookback_items.count()
    for left in range(total, 0, -1):
        unticked.first.click()  # htmx swaps the checklist in place
        page.wait_for_function(UNTICKED_COUNT_IS, arg=[first.pk, left - 1])
    page.click(f"#sign-off-{first.pk}")
    page.wait_for_load_state()
    assert "“分析评议”开始" in page.inner_text("main")
    second = campaign.stages.get(order=2)
    assert "进行中" in page.inner_text(f"#stage-{second.pk} .stage-status")
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
