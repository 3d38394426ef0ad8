from typing import Any

import pytest

from conftest import PASSWORD, World, login_in_browser
from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.originality import services
from pingyi.writings.models import REFLECTION_RULE, Writing

from .conftest import library_items
from .texts import ARTICLE, HONEST_A

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def opened(world: World, campaign: Campaign) -> tuple[Campaign, WorkItem]:
    services.import_library(items=library_items(), org=world.orgs["branch"], by=world.users["secretary"])
    return campaign, WorkItem.objects.get(stage__campaign=campaign, rule=REFLECTION_RULE)


def test_reviewer_sees_the_copied_passages_beside_the_library_text_and_returns_the_piece(
    page: Any, browser: Any, live_server: Any, world: World, opened: tuple[Campaign, WorkItem]
) -> None:
    campaign, item = opened
    copied = ARTICLE[120:330]
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "member", PASSWORD)
    page.goto(f"{live_server.url}/writings/campaigns/{campaign.pk}/")
    page.click(f"#start-{item.pk}")
    page.wait_for_url("**/edit/")
    page.fill("#id_title", "学习心得")
    page.fill("#id_text", HONEST_A + copied + "<script>alert(1)</script>")
    page.click("#submit-writing")
    writing = Writing.objects.get()
    page.wait_for_url(f"**/writings/{writing.pk}/")

    context = browser.new_context(bypass_csp=True)
    secretary = context.new_page()
    secretary.set_viewport_size(PHONE)
    login_in_browser(secretary, live_server, "secretary", PASSWORD)
    secretary.goto(f"{live_server.url}/writings/{writing.pk}/")
    report = secretary.locator("#originality-report[data-state=done]")
    report.wait_for()
    assert report.get_attribute("data-verdict") == "red"
    percent = float(secretary.inner_text("#copied-percent").rstrip("%"))
    assert 30 < percent < 50
    assert "窗口服务与先进性" in secretary.inner_text("#originality-sources")
    pair = secretary.locator("[data-testid=copy-pair]").first
    ours, theirs = pair.locator(".copy-ours").inner_text(), pair.locator(".copy-theirs").inner_text()
    assert ours in copied and theirs in ARTICLE and len(ours) > 100
    assert pair.locator(".copy-ours mark").count() >= 1
    assert secretary.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    secretary.fill("#id_comment", "与网上文章大段雷同，请用自己的话重写。")
    secretary.click("#return-writing")
    secretary.wait_for_url("**/queue/")  # nothing else waits for the secretary: back to the review queue
    assert "已退回，作者会看到你的意见" in secretary.inner_text("main")
    writing.refresh_from_db()
    assert writing.status == Writing.Status.RETURNED
    context.close()


def test_the_full_report_marks_the_copied_text_and_escapes_it(
    page: Any, live_server: Any, world: World, opened: tuple[Campaign, WorkItem]
) -> None:
    document = services.index_text(
        kind="writing",
        ref=99,
        org=world.orgs["branch"],
        campaign=opened[0],
        title="学习心得",
        text=HONEST_A + "<b>粗体</b>" + ARTICLE[:200],
        by=world.users["member"],
    )
    report = services.check_document(document=document)
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/originality/reports/{report.pk}/")
    assert page.locator("#marked-text b").count() == 0
    assert "<b>粗体</b>" in page.inner_text("#marked-text")
    assert page.locator("#marked-text mark").first.inner_text() in ARTICLE
