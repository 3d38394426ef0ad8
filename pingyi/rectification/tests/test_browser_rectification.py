from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import PASSWORD, World, login_in_browser
from pingyi.opinions.models import Channel, OpinionRound
from pingyi.opinions.services import record_opinion
from pingyi.rectification.models import ItemStatus, RectificationItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_opinion_becomes_an_item_is_done_verified_and_published(page: Any, live_server: Any, world: World) -> None:
    round_ = OpinionRound.objects.create(org=world.orgs["branch"], title="服务对象座谈会")
    opinion = record_opinion(
        round=round_,
        channel=Channel.SYMPOSIUM,
        text="办理社保转移要跑好几趟",
        concerns_person=world.people["member"],
        by=world.users["secretary"],
    )

    # The secretary turns the opinion into an item and gives it to the member it concerns.
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/opinions/items/{opinion.pk}/")
    page.click("#rectify-button")
    page.click("#rectification-item a")
    page.wait_for_url("**/rectification/items/*/")
    page.click("[data-testid=item-edit]")
    assert page.input_value("#id_owner") == str(world.people["member"].pk)  # from the opinion, not retyped
    page.fill("#id_title", "社保转移一次办结")
    page.fill("#id_measures", "梳理材料清单，窗口一次性告知")
    page.fill("#id_due_on", (timezone.localdate() + timedelta(days=30)).isoformat())
    page.click("[data-testid=item-form] button[type=submit]")
    page.wait_for_selector("text=已保存。")
    item = RectificationItem.objects.get()
    assert item.owner == world.people["member"] and item.source == "opinion"

    # The member reports it done from a phone, with a PDF as evidence.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    login_in_browser(page, live_server, "member", PASSWORD)
    page.goto(f"{live_server.url}/rectification/items/{item.pk}/")
    page.fill("#id_report", "已印发一次性告知单，窗口试行两周")
    evidence = {"name": "告知单.pdf", "mimeType": "application/pdf", "buffer": PDF}
    page.set_input_files("#id_attachments", files=[evidence])
    page.click("[data-testid=report-form] button[type=submit]")
    page.wait_for_selector("text=已报告完成，等待支部核实。")
    assert "告知单.pdf" in page.inner_text("[data-testid=evidence]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The secretary verifies it and publishes it for everyone.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/rectification/items/{item.pk}/")
    page.click("[data-testid=verify]")
    page.wait_for_selector("text=已核实，整改事项销号。")
    page.select_option("#id_scope", "public")
    page.fill("#id_public_title", "社保转移一次办结")
    page.fill("#id_public_summary", "印发一次性告知单，群众办理社保转移不再多跑")
    page.click("[data-testid=publish-form] button[type=submit]")
    # First what the list will show, and to whom; nothing is published yet.
    assert "社会公开" in page.inner_text("main") and "任何人，无需登录" in page.inner_text("[data-testid=who]")
    assert "社保转移一次办结" in page.inner_text("[data-testid=preview]")
    item.refresh_from_db()
    assert item.publish_scope == ""
    page.click("[data-testid=confirm]")
    page.wait_for_selector("text=已公开到边议边改清单。")
    item.refresh_from_db()
    assert item.status == ItemStatus.VERIFIED and item.publish_scope == "public"

    # Anyone, without logging in, sees what was changed, and no one's name.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/rectification/changes/BRANCH/")
    listed = page.inner_text("[data-testid=public-items]")
    assert "社保转移一次办结" in listed and "不再多跑" in listed and "王党员" not in page.content()
