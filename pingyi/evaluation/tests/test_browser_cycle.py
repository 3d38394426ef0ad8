"""Issue 11's cycle in a browser, as the people who run it: closing below the target takes a reason that the
notice states, a paper batch of one is refused, a second tab's ballot is not counted, and the 个人讲评 waits on
the member's phone and is autosaved."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD, World, add_members, login_in_browser
from pingyi.evaluation import services
from pingyi.evaluation.models import EvaluationRound, Notice, PaperBatch, Participation, SelfAssessment

from .factories import everyone_gives, new_round, votes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_closing_below_the_target_takes_a_reason_and_the_notice_states_it(
    page: Any, live_server: Any, world: World
) -> None:
    raters = add_members(world, 6)
    round = new_round(world)
    for person in raters[:2]:  # 2 of 7
        services.cast_vote(round=round, rater=person, grades=everyone_gives(round, person, 1), by=person.user)
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/evaluation/rounds/{round.pk}/")
    assert "参评率 28%（应参评 7 人，实际参评 2 人），低于 95% 的目标，还差 5 人" in page.inner_text("#shortfall")
    page.click("#close-round")  # no tick, no reason
    page.wait_for_load_state()
    assert "请勾选确认并写明原因" in page.inner_text("#close-error")
    assert EvaluationRound.objects.get(pk=round.pk).is_open
    page.fill("#id_shortfall_reason", "五名党员在外地参加培训，已电话督促")
    page.click("#close-round")  # still no tick: the reason stays typed
    page.wait_for_load_state()
    assert page.input_value("#id_shortfall_reason") == "五名党员在外地参加培训，已电话督促"
    page.check("#id_below_target_confirmed")
    page.click("#close-round")
    page.wait_for_url(f"**/evaluation/rounds/{round.pk}/")
    assert page.inner_text("#round-status") == "已结束"
    assert "原因：五名党员在外地参加培训，已电话督促" in page.inner_text("#shortfall-reason")

    for member in round.members.all():
        services.decide(member=member, grade=1, opinion="合格", reason="一贯表现良好", by=world.users["committee"])
    page.click("#notice-create")
    page.click("#publish")  # to the branch's members, the default scope
    page.wait_for_url("**/evaluation/notices/*/")
    assert "实际参评 2 名" in page.inner_text("#notice-counts") and "参评率 28%" in page.inner_text("#notice-counts")
    assert page.inner_text("#notice-target") == (
        "未达到 95% 的参评率目标，经支部确认结束测评，原因：五名党员在外地参加培训，已电话督促。"
    )
    assert Notice.objects.get().counts["shortfall_reason"] == "五名党员在外地参加培训，已电话督促"


def test_a_paper_batch_of_one_is_refused(page: Any, live_server: Any, world: World) -> None:
    add_members(world, 5)
    round = new_round(world)
    login_in_browser(page, live_server, "committee", PASSWORD)
    page.goto(f"{live_server.url}/evaluation/rounds/{round.pk}/")
    page.locator("#paper input[name=members]").first.check()  # one named member hands in paper
    page.click("#paper button:has-text('登记已交纸质票')")
    page.wait_for_load_state()
    assert Participation.objects.filter(on_paper=True).count() == 1
    assert "党员纸质票待成批 1 张" in page.inner_text("#paper-batching")
    page.evaluate("document.getElementById('id_ballots').removeAttribute('min')")  # past the browser's own check
    page.fill("#id_ballots", "1")
    page.click("#paper button:has-text('新建批次')")
    page.wait_for_load_state()
    assert "每批至少 5 张" in page.inner_text("main")
    assert not PaperBatch.objects.exists()


def test_a_second_tabs_ballot_is_not_counted_and_says_so(page: Any, live_server: Any, world: World) -> None:
    add_members(world, 5)
    round = new_round(world)
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "member", PASSWORD)
    second = page.context.new_page()
    second.set_viewport_size(PHONE)
    for tab in (page, second):
        tab.goto(f"{live_server.url}/evaluation/rounds/{round.pk}/rate/")
    for tab, grade in ((page, 1), (second, 3)):
        rows = tab.locator("#ballot .ballot-row")
        for i in range(rows.count()):
            tab.click(f"label[for=g-{rows.nth(i).get_attribute('data-member')}-{grade}]")
        tab.once("dialog", lambda dialog: dialog.accept())
        tab.click("#submit-ballot")
        tab.wait_for_load_state()
    assert "这次提交的选择没有计入" in second.inner_text("#not-counted")
    assert votes(round=round) == 5 and votes(round=round, grade_3__gt=0) == 0


def test_the_self_assessment_waits_on_the_phone_and_is_autosaved(page: Any, live_server: Any, world: World) -> None:
    add_members(world, 5)
    round = new_round(world)
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "member", PASSWORD)
    page.click("text=个人讲评待提交")
    page.wait_for_url(f"**/evaluation/rounds/{round.pk}/self/")
    assert page.locator("#guidance").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("#id_text", "认真学习党章，按时参加组织生活；服务群众的主动性还不够。")
    page.wait_for_function("document.querySelector('#autosave-status').innerText.includes('已自动保存')")
    draft = SelfAssessment.objects.get()
    assert draft.text.startswith("认真学习党章") and not draft.is_submitted
    page.reload()
    assert page.input_value("#id_text").startswith("认真学习党章")
    page.click("label[for=id_grade_1]")
    page.click("#submit-self")
    page.wait_for_url(f"**/evaluation/rounds/{round.pk}/")
    assert SelfAssessment.objects.get().is_submitted
    page.goto(f"{live_server.url}/")
    assert page.locator("text=个人讲评待提交").count() == 0
