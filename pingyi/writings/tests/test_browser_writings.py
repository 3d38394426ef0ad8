from typing import Any

import pytest
from docx import Document

from conftest import PASSWORD, World, add_member, login_in_browser
from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.writings import services
from pingyi.writings.models import REFLECTION_RULE, Writing
from pingyi.writings.text import word_count

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def opened(campaign: Campaign) -> tuple[Campaign, WorkItem]:
    return campaign, WorkItem.objects.get(stage__campaign=campaign, rule=REFLECTION_RULE)


def fits_the_phone(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_write_submit_return_resubmit_compare_and_accept(
    page: Any, browser: Any, live_server: Any, world: World, opened: tuple[Campaign, WorkItem]
) -> None:
    campaign, item = opened
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "member", PASSWORD)
    page.goto(f"{live_server.url}/writings/campaigns/{campaign.pk}/")
    assert fits_the_phone(page)
    page.click(f"#start-{item.pk}")
    page.wait_for_url("**/edit/")
    page.fill("#id_title", "学习党章的体会")
    page.fill("#id_text", "通过学习，我认识到要认真学习党章。")
    page.wait_for_function("document.querySelector('#autosave-status').innerText.includes('已自动保存')")
    assert page.inner_text("#word-count") == str(word_count("通过学习，我认识到要认真学习党章。")) == "15"
    assert fits_the_phone(page)
    writing = Writing.objects.get()
    assert writing.text == "通过学习，我认识到要认真学习党章。"  # the autosave reached the server
    page.click("#submit-writing")
    page.wait_for_url(f"**/writings/{writing.pk}/")
    assert "待审阅" in page.inner_text("#writing-status")

    other = browser.new_context(bypass_csp=True)  # the secretary's own browser (bypass: wait_for_function evals)
    secretary = other.new_page()
    login_in_browser(secretary, live_server, "secretary", PASSWORD)
    secretary.goto(f"{live_server.url}/writings/{writing.pk}/")
    assert "认真学习党章" in secretary.inner_text("#writing-text")
    secretary.fill("#id_comment", "请联系本职工作谈体会。")
    secretary.click("#return-writing")
    secretary.wait_for_url("**/queue/")  # nothing else waits: back to the queue
    assert "已退回，作者会看到你的意见" in secretary.inner_text("main")

    page.goto(f"{live_server.url}/writings/{writing.pk}/edit/")
    assert "请联系本职工作谈体会。" in page.inner_text("#return-comments")
    page.fill("#id_text", "通过学习，我认识到要深入学习党章，做好社保窗口服务。")
    page.click("#submit-writing")
    page.wait_for_url(f"**/writings/{writing.pk}/")
    assert "第2稿已提交" in page.inner_text("main"), page.inner_text("main")[:300]

    secretary.goto(f"{live_server.url}/writings/{writing.pk}/")
    assert secretary.locator("#diff-result del").first.inner_text() == "认真"
    assert "深入" in secretary.locator("#diff-result ins").all_inner_texts()
    secretary.select_option("#diff-a", "2")
    secretary.click("#diff-form button[type=submit]")  # htmx swaps the comparison in place
    secretary.wait_for_function("document.querySelector('#diff-result').innerText.includes('两稿内容相同')")
    secretary.click("#accept-writing")
    secretary.wait_for_url("**/queue/")
    secretary.goto(f"{live_server.url}/writings/{writing.pk}/")
    assert "已通过" in secretary.inner_text("#writing-status")

    page.goto(f"{live_server.url}/writings/campaigns/{campaign.pk}/")
    assert "已通过" in page.inner_text(".my-writing")
    assert fits_the_phone(page)
    other.close()  # none of its requests may outlive the test database


def test_typing_while_offline_is_kept_in_the_browser_and_saved_later(
    page: Any, live_server: Any, world: World, opened: tuple[Campaign, WorkItem]
) -> None:
    campaign, item = opened
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "member", PASSWORD)
    page.goto(f"{live_server.url}/writings/campaigns/{campaign.pk}/")
    page.click(f"#start-{item.pk}")
    page.wait_for_url("**/edit/")
    writing = Writing.objects.get()
    page.context.set_offline(True)
    page.fill("#id_text", "断网时写下的心得，不能丢。")
    page.wait_for_function("document.querySelector('#autosave-status').innerText.includes('网络断开')")
    page.close()  # the tab is gone before the connection came back
    writing.refresh_from_db()
    assert writing.text == ""

    again = page.context.new_page()
    page.context.set_offline(False)
    again.goto(f"{live_server.url}/writings/{writing.pk}/edit/")
    assert again.input_value("#id_text") == "断网时写下的心得，不能丢。"
    again.wait_for_function("document.querySelector('#autosave-status').innerText.includes('已自动保存')")
    writing.refresh_from_db()
    assert writing.text == "断网时写下的心得，不能丢。"
    # Once the server has it, the browser's copy never overrides what was written later on another device.
    again.wait_for_function(f"JSON.parse(localStorage.getItem('pingyi:writing:{writing.pk}')).synced === true")
    services.save_draft(writing=writing, by=world.users["member"], title="学习心得", text="后来在电脑上改的。")
    again.reload()
    assert again.input_value("#id_text") == "后来在电脑上改的。"
    assert "已恢复" not in again.inner_text("#autosave-status")


def test_a_leader_uploads_a_self_analysis_and_both_reviewers_accept_it_then_it_is_exported(
    page: Any, browser: Any, live_server: Any, world: World, opened: tuple[Campaign, WorkItem], tmp_path: Any
) -> None:
    campaign, _item = opened
    from pingyi.campaigns import services as campaigns

    first = campaign.stages.get(order=1)
    for line in first.lookback_items.all():
        campaigns.check_lookback_item(item=line, by=world.users["secretary"])
    campaigns.sign_off_stage(stage=first, by=world.users["secretary"])
    analysis = WorkItem.objects.get(stage__campaign=campaign, rule="writings.self_analysis_accepted")
    add_member(world, "张局长", login="leader", leader=True)
    upload = tmp_path / "党性分析.docx"
    document = Document()
    for line in [
        "一、查摆的问题",
        "调研不够深入。",
        "二、产生问题的根源",
        "宗旨意识淡化。",
        "三、整改方向和措施",
        "每月下基层。",
    ]:
        document.add_paragraph(line)
    document.save(str(upload))

    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "leader", PASSWORD)
    page.goto(f"{live_server.url}/writings/campaigns/{campaign.pk}/")
    page.click(f"#start-{analysis.pk}")
    page.wait_for_url("**/edit/")
    page.set_input_files("#id_file", str(upload))
    page.click("#upload-form button[type=submit]")
    page.wait_for_load_state()
    assert page.input_value("#id_causes") == "宗旨意识淡化。"
    page.click("#submit-writing")  # the four comparisons are not ticked yet
    assert "尚未勾选：对照党章和党员标准、对照具体要求、对照先进典型、对照本职工作" in page.inner_text("main")
    for key in ["constitution", "requirements", "models", "duties"]:
        page.check(f"#id_cmp_{key}")
        page.fill(f"#id_cmp_{key}_note", "已对照")
    assert fits_the_phone(page)
    page.click("#submit-writing")
    writing = Writing.objects.get()
    page.wait_for_url(f"**/writings/{writing.pk}/")
    assert "需支部和督导组分别审阅" in page.inner_text("#review-levels")

    contexts = []
    for persona, expected in [("secretary", "待审阅"), ("supervisor", "已通过")]:
        contexts.append(browser.new_context(bypass_csp=True))
        reviewer = contexts[-1].new_page()
        login_in_browser(reviewer, live_server, persona, PASSWORD)
        reviewer.goto(f"{live_server.url}/writings/{writing.pk}/")
        reviewer.click("#accept-writing")
        reviewer.wait_for_url("**/queue/")
        reviewer.goto(f"{live_server.url}/writings/{writing.pk}/")
        assert expected in reviewer.inner_text("#writing-status"), persona

    reviewer.goto(f"{live_server.url}/writings/campaigns/{campaign.pk}/")
    with reviewer.expect_download() as download:
        reviewer.click(f"#item-{analysis.pk} >> text=导出汇编（Word）")
    texts = [p.text for p in Document(download.value.path()).paragraphs]
    assert "张局长：个人党性分析材料" in texts and "宗旨意识淡化。" in texts
    for context in contexts:
        context.close()


def test_a_reviewer_works_through_the_queue_with_next(
    page: Any, live_server: Any, world: World, opened: tuple[Campaign, WorkItem]
) -> None:
    _campaign, item = opened
    titles = {}
    for n, name in enumerate(["李党员", "赵党员", "钱党员"]):
        person = add_member(world, name, login=f"p{n}")
        writing = services.start_writing(work_item=item, author=person, by=world.users[f"p{n}"])
        services.save_draft(writing=writing, by=world.users[f"p{n}"], title=f"{name}的心得", text=f"{name}写的心得。")
        services.submit_writing(writing=writing, by=world.users[f"p{n}"])
        titles[writing.pk] = f"{name}的心得"

    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "secretary", PASSWORD)
    assert "3 份文稿等待你审阅" in page.inner_text("main")
    page.click("text=3 份文稿等待你审阅")
    page.wait_for_url("**/queue/")
    assert page.locator(".queue-row").count() == 3 and fits_the_phone(page)
    page.click("#start-reviewing")
    seen = []
    for decision in ["accept", "return", "accept"]:
        page.wait_for_selector("#review-form")
        seen.append(page.inner_text("h1"))
        if decision == "return":
            page.fill("#id_comment", "请结合本职工作再写具体些。")
            page.click("#return-writing")
        else:
            page.click("#accept-writing")
        page.wait_for_load_state()
    page.wait_for_url("**/queue/")
    assert seen == list(titles.values())  # oldest first, each opened by the one before
    assert "没有等待你审阅的文稿了" in page.inner_text("main")
    statuses = dict(Writing.objects.values_list("title", "status"))
    assert statuses == {"李党员的心得": "accepted", "赵党员的心得": "returned", "钱党员的心得": "accepted"}


@pytest.mark.parametrize("no_store", [True, False], ids=["no-store", "script-only"])
def test_back_after_submit_does_not_bring_back_an_editor_that_drops_typing(
    page: Any, live_server: Any, world: World, opened: tuple[Campaign, WorkItem], no_store: bool, monkeypatch: Any
) -> None:
    """Each defence alone: the editor sent as no-store, and (without it) editor.js's check on page show."""
    if not no_store:
        monkeypatch.setattr("pingyi.writings.views.add_never_cache_headers", lambda response: None)
    campaign, item = opened
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "member", PASSWORD)
    page.goto(f"{live_server.url}/writings/campaigns/{campaign.pk}/")
    page.click(f"#start-{item.pk}")
    page.wait_for_url("**/edit/")
    page.fill("#id_text", "提交前写好的心得。")
    page.click("#submit-writing")
    writing = Writing.objects.get()
    page.wait_for_url(f"**/writings/{writing.pk}/")

    page.go_back()
    # The back button lands on the piece's page: at once (the editor was not cached), or after the cached
    # editor, locked as it showed, asked the server and was sent on.
    page.wait_for_url(f"**/writings/{writing.pk}/")
    page.wait_for_load_state()
    assert page.locator("#writing-form").count() == 0
    assert "待审阅" in page.inner_text("#writing-status")
    writing.refresh_from_db()
    assert writing.text == "提交前写好的心得。"
