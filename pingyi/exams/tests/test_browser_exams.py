"""The test as people use it: a member on a phone, the secretary with a paper answer sheet, the results."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from conftest import PASSWORD, World, add_member, login_in_browser
from pingyi.campaigns.models import Campaign
from pingyi.exams.documents import lettered
from pingyi.exams.models import Answer, AnswerSheet, Kind, Sitting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _answer_on_page(page: Any, answer: Answer) -> None:
    """Answer one question the right way, as the member sees it, and wait until the page says it is saved."""
    q, box = answer.question, page.locator(f"#q-{answer.position}")
    if q.kind == Kind.FILL:
        box.locator("input[name=text]").fill(f" {q.accepted[0]} ")
        box.locator("input[name=text]").press("Tab")
    elif q.kind == Kind.SHORT:
        box.locator("textarea").fill("警告、严重警告、撤销党内职务、留党察看、开除党籍")
        box.locator("textarea").press("Tab")
    else:
        for _letter, _text, oid in lettered(answer):
            if oid in q.correct_ids:
                box.locator(f"input[name=choice][value='{oid}']").check()
    box.locator(".saved .text-success").wait_for()


def test_a_member_answers_on_a_phone_reloads_finds_the_answers_and_submits_once(
    page: Any, live_server: Any, world: World, campaign: Campaign, sitting: Sitting
) -> None:
    page.set_viewport_size(PHONE)
    page.on("dialog", lambda dialog: dialog.accept())  # "交卷后不能再修改，确定交卷吗？"
    login_in_browser(page, live_server, "member", PASSWORD)
    page.goto(f"{live_server.url}/exams/campaign/{campaign.pk}/")
    page.click(f"#start-{sitting.pk}")
    page.wait_for_url("**/exams/sheets/*/")
    sheet = AnswerSheet.objects.get(sitting=sitting, person=world.people["member"])
    answers = list(sheet.answers.select_related("question").order_by("position"))
    half = len(answers) // 2
    for answer in answers[:half]:
        _answer_on_page(page, answer)

    page.reload()  # a dropped connection, or the same sheet opened on another phone
    for answer in answers[:half]:
        box = page.locator(f"#q-{answer.position}")
        if answer.question.kind == Kind.FILL:
            assert box.locator("input[name=text]").input_value().strip() == answer.question.accepted[0]
        elif answer.question.kind in (Kind.SINGLE, Kind.TRUE_FALSE, Kind.MULTIPLE):
            assert all(
                box.locator(f"input[name=choice][value='{oid}']").is_checked() for oid in answer.question.correct_ids
            )
    for answer in answers[half:]:
        _answer_on_page(page, answer)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    serious = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # an older member's large text
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.evaluate("document.documentElement.style.fontSize = ''")

    second = page.context.new_page()  # the sheet is still open on a second phone
    second.goto(f"{live_server.url}/exams/sheets/{sheet.pk}/")
    page.click("#submit-sheet")
    page.wait_for_selector("#sheet-result")
    assert "已交卷" in page.inner_text("main")
    assert "还有 1 道简答题等待评分" in page.inner_text("#sheet-result")
    second.on("dialog", lambda dialog: dialog.accept())
    second.click("#submit-sheet")
    second.wait_for_selector("#sheet-result")
    assert "这份答卷已经交过了，第二次提交没有改变任何内容" in second.inner_text("main")
    sheet.refresh_from_db()
    assert sheet.score == 9 and sheet.pending == 1


def test_an_answer_after_the_time_limit_is_refused_and_the_sheet_submitted(
    page: Any, live_server: Any, world: World, campaign: Campaign, sitting: Sitting
) -> None:
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "member", PASSWORD)
    page.goto(f"{live_server.url}/exams/campaign/{campaign.pk}/")
    page.click(f"#start-{sitting.pk}")
    page.wait_for_url("**/exams/sheets/*/")
    sheet = AnswerSheet.objects.get(sitting=sitting)
    AnswerSheet.objects.filter(pk=sheet.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    first = sheet.answers.select_related("question").get(position=1)
    page.locator(f"#q-1 input[name=choice][value='{first.option_order[0]}']").check()
    page.wait_for_selector("#sheet-result")  # the server refused, submitted, and the page reloaded
    assert "自动交卷" in page.inner_text("main")
    assert Answer.objects.get(pk=first.pk).response == ""
    sheet.refresh_from_db()
    assert sheet.auto_submitted


def test_the_secretary_enters_a_paper_answer_sheet_and_sees_results_and_the_analysis_chart(
    page: Any, live_server: Any, world: World, campaign: Campaign, sitting: Sitting
) -> None:
    retired = add_member(world, "刘退休")
    add_member(world, "出差党员")
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/exams/sittings/{sitting.pk}/")
    page.click(f"tr[data-person='{retired.pk}'] button")  # 改用纸质答卷
    page.wait_for_url("**/enter/")
    sheet = AnswerSheet.objects.get(person=retired)
    with page.expect_download() as pdf:
        page.click("#print-link")
    assert pdf.value.suggested_filename.endswith(".pdf")
    page.set_viewport_size(PHONE)  # the answer sheet is typed in on a phone too
    for a in sheet.answers.select_related("question"):
        q = a.question
        if q.kind == Kind.TRUE_FALSE:
            value = "对" if q.correct_ids == [a.option_order[0]] else "错"
        elif q.kind in (Kind.SINGLE, Kind.MULTIPLE):
            value = "".join(letter for letter, _t, oid in lettered(a) if oid in q.correct_ids)
        elif q.kind == Kind.FILL:
            value = q.accepted[0]
        else:
            value = ""
        page.fill(f"#q{a.position}", value)
    page.fill("#q1", "Q")
    page.click("#save-entry")
    assert "第 1 题" in page.inner_text("#entry-errors")  # nothing saved; what was typed is still there
    assert page.input_value("#q2") != ""
    page.fill(
        "#q1",
        "对"
        if sheet.answers.get(position=1).question.correct_ids == [sheet.answers.get(position=1).option_order[0]]
        else "错",
    )
    page.click("#save-entry")
    page.wait_for_url(f"**/exams/sittings/{sitting.pk}/")
    assert "答卷已录入并评分" in page.inner_text("main")
    row = page.locator(f"tr[data-person='{retired.pk}']")
    assert row.get_attribute("data-state") == "submitted" and "9" in row.inner_text()
    assert "缺考" in page.locator("tr[data-state='absent']").first.inner_text()
    assert "应考" in page.inner_text("#sitting-summary")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("#analysis-link")
    page.wait_for_selector("#analysis-chart[data-rendered='1']")
    assert page.locator("#analysis-chart canvas").count() == 1
    assert "根据 1 份已交答卷" in page.inner_text("#analysis-summary")


def test_the_secretary_mends_a_typo_by_importing_the_question_again_and_deleting_the_old_one(
    page: Any, live_server: Any, world: World, tmp_path: Any
) -> None:
    from pingyi.exams.models import Question

    from .conftest import make_bank

    bank = make_bank(world, name="党章题库")
    typo = bank.questions.get(text__startswith="预备党员的预备期")
    page.set_viewport_size(PHONE)
    page.on("dialog", lambda dialog: dialog.accept())  # "删除这道题？…"
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/exams/banks/{bank.pk}/import/")
    corrected = tmp_path / "corrected.gift"
    corrected.write_text("预备党员的预备期为一年。{T}\n", encoding="utf-8")
    page.set_input_files("#import-form input[type=file]", str(corrected))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("text=已导入 1 道题")
    page.locator(f"#question-{typo.pk} button").click()
    page.wait_for_selector("text=试题已删除")
    listed = page.inner_text("#question-list")
    assert "预备党员的预备期为一年" in listed and "预备党员的预备期为两年" not in listed
    assert not Question.objects.filter(pk=typo.pk).exists()
