from typing import Any

import pytest

from conftest import PASSWORD, World, add_member, login_in_browser
from pingyi.campaigns.models import Campaign
from pingyi.talks.models import Talk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_records_a_talk_and_the_coverage_matrix_changes(
    page: Any, live_server: Any, world: World, campaign: Campaign
) -> None:
    chen = add_member(world, "陈支委", committee=True)
    member = world.people["member"]
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/talks/campaign/{campaign.pk}/")
    cell = page.locator(f'#talk-matrix td[data-pair="{chen.pk}-{member.pk}"]')
    assert cell.get_attribute("data-state") == "owed"
    assert "应谈 1 对，已谈 0 对（0%）" in page.inner_text("#talk-summary")

    cell.locator("a").click()  # the owed pair opens the form with both people ticked
    page.wait_for_url("**/record/?a=*")
    assert page.is_checked(f'#talk-form input[name=side_a][value="{chen.pk}"]')
    assert page.is_checked(f'#talk-form input[name=side_b][value="{member.pk}"]')
    page.fill("#id_topic", "谈学习体会")
    page.fill("#id_summary", "交流了近期学习党章的体会")
    page.click("#talk-form button[type=submit]")
    page.wait_for_url(f"**/talks/campaign/{campaign.pk}/")

    assert "谈话已记录" in page.inner_text("main")
    assert page.locator(f'#talk-matrix td[data-pair="{member.pk}-{chen.pk}"]').get_attribute("data-state") == "done"
    assert "应谈 1 对，已谈 1 对（100%）" in page.inner_text("#talk-summary")
    assert Talk.objects.get().summary == "交流了近期学习党章的体会"


def test_a_member_on_a_phone_sees_whom_they_still_owe_a_talk(
    page: Any, live_server: Any, world: World, campaign: Campaign
) -> None:
    add_member(world, "陈支委", committee=True)
    page.set_viewport_size({"width": 390, "height": 844})
    login_in_browser(page, live_server, "member", PASSWORD)
    page.goto(f"{live_server.url}/talks/campaign/{campaign.pk}/")
    owed = page.inner_text("#owed-list")
    assert "我还需要谈话的同志" in owed and "陈支委" in owed
    page.click("#owed-list a")  # record the talk with them: the member is the one talking
    page.fill("#id_topic", "谈心")
    page.fill("#id_summary", "互相提了意见")
    page.click("#talk-form button[type=submit]")
    page.wait_for_url(f"**/talks/campaign/{campaign.pk}/")
    assert "已全部谈完" in page.inner_text("#owed-list")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
