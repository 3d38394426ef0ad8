from typing import Any

import pytest

from conftest import PASSWORD, World, login_in_browser
from pingyi.opinions import services
from pingyi.opinions.models import Category, Channel, Opinion, OpinionStatus
from pingyi.opinions.solicitation_letters import public_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_of_the_public_opens_the_qr_link_on_a_phone_and_submits(
    page: Any, live_server: Any, world: World
) -> None:
    round_ = services.create_round(
        org=world.orgs["branch"], title="征求对局机关的意见", topics=["bureau_work", "procedure"], by=None
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(public_url(live_server.url, round_))  # what the poster's QR code holds
    assert "征求对局机关的意见" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("#id_website").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0  # the honeypot is out of sight
    page.fill("#id_text", "办理社保转移要跑三次，希望能一次办好。<b>谢谢</b>")
    page.select_option("#id_topic", "procedure")
    page.click("#public-submit")
    page.wait_for_selector("#thanks")
    assert page.inner_text("#submitted-text") == "办理社保转移要跑三次，希望能一次办好。<b>谢谢</b>"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    opinion = Opinion.objects.get()
    assert (opinion.channel, opinion.topic, opinion.contact_phone) == (Channel.ONLINE, "procedure", "")


def test_the_office_categorises_an_opinion_and_answers_it(page: Any, live_server: Any, world: World) -> None:
    Category.objects.get_or_create(name="办事程序和效率", defaults={"keywords": "手续 跑 窗口"})
    Category.objects.get_or_create(name="工作作风", defaults={"keywords": "态度"})
    round_ = services.create_round(org=world.orgs["branch"], title="征求意见", by=None)
    opinion = services.submit_public_opinion(round=round_, text="办理退休手续要跑三个窗口", address="10.0.0.1").opinion
    login_in_browser(page, live_server, "office", PASSWORD)
    page.goto(f"{live_server.url}/opinions/rounds/{round_.pk}/")
    page.click(f"[data-opinion='{opinion.pk}']")
    page.wait_for_selector("#suggestion")
    assert "办事程序和效率" in page.inner_text("#suggestion")
    assert page.locator("#id_category option:checked").inner_text() == "办事程序和效率"
    page.fill("#id_concerns_unit", "社会保险股")
    page.click("#categorise-save")
    page.wait_for_selector("text=分类已保存。")
    assert page.inner_text("#opinion-status") == "已分类"
    page.fill("#id_answer", "已合并为一个窗口办理，本月起执行。")
    page.click("#answer-save")
    page.wait_for_selector("text=答复已保存。")
    assert page.inner_text("#opinion-status") == "已答复"
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.ANSWERED and opinion.category is not None
    assert opinion.category.name == "办事程序和效率" and opinion.concerns_unit == "社会保险股"
    assert opinion.answered_by == world.users["office"] and opinion.answer.startswith("已合并")
