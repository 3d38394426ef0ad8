"""The evaluation as people do it: members rate on their phones, the public with a code, the secretary
closes the round, the committee decides, the notice goes out."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD, World, add_members, login_in_browser
from pingyi.evaluation import services
from pingyi.evaluation.models import Decision, EvaluationRound, Notice, Participation, VoteCount

from .factories import everyone_gives, new_round, votes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _fill_ballot(page: Any, grade: int) -> None:
    rows = page.locator("#ballot .ballot-row")
    for i in range(rows.count()):
        member = rows.nth(i).get_attribute("data-member")
        page.click(f"label[for=g-{member}-{grade}]")


def test_members_rate_each_other_on_their_phones(page: Any, live_server: Any, world: World) -> None:
    raters = add_members(world, 5)
    round = new_round(world)
    page.set_viewport_size(PHONE)
    for username in ("member", "rater1"):
        page.context.clear_cookies()
        login_in_browser(page, live_server, username, PASSWORD)
        page.click("text=民主测评等待您投票")  # the home card leads straight to the ballot
        page.wait_for_url(f"**/evaluation/rounds/{round.pk}/rate/")
        assert page.locator("#ballot .ballot-row").count() == 5  # everyone but oneself
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator("#ballot .ballot-row label").first.click()  # one member graded, then submit
        assert page.inner_text("#ballot-progress") == "已选 1/5"
        page.click("#submit-ballot")  # refused on the page: nothing sent, the missing rows marked
        assert "还有 4 名党员没有选择等次" in page.inner_text("#ballot-progress")
        assert page.locator("#ballot .ballot-row.border-danger").count() == 4
        _fill_ballot(page, 1)
        assert page.inner_text("#ballot-progress") == "已选 5/5"
        page.once("dialog", lambda dialog: dialog.accept())  # 测评票只能提交一次…确认提交吗？
        page.click("#submit-ballot")
        page.wait_for_url(f"**/evaluation/rounds/{round.pk}/")
        assert "投票已提交" in page.inner_text("main") and page.locator("#voted-note").is_visible()
        page.goto(f"{live_server.url}/evaluation/rounds/{round.pk}/rate/")
        assert page.locator("#already-voted").is_visible() and page.locator("#ballot").count() == 0
    assert Participation.objects.filter(round=round).count() == 2
    assert votes(round=round) == 10
    assert len(raters) == 5


def test_a_member_of_the_public_rates_with_a_code_and_cannot_reuse_it(
    page: Any, live_server: Any, world: World
) -> None:
    add_members(world, 3)
    round = new_round(world)
    (code,) = services.issue_public_codes(round=round, count=1, by=world.users["secretary"])
    page.set_viewport_size(PHONE)
    url = f"{live_server.url}/evaluation/p/{round.public_key}/"
    page.goto(f"{url}#{code}")  # as the slip's QR code opens it: no login
    assert page.input_value("#id_code") == code
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _fill_ballot(page, 0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-ballot")
    assert "测评票已提交" in page.inner_text("#public-done")
    page.goto(url)
    page.fill("#id_code", code.lower())
    _fill_ballot(page, 3)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-ballot")
    assert "已经使用过" in page.inner_text("#ballot-error") and "没有计入" in page.inner_text("#ballot-error")
    assert votes(round=round, source="public") == 4
    assert not VoteCount.objects.filter(round=round, grade_3__gt=0).exists()


def test_the_round_closes_the_committee_decides_and_the_notice_is_published(
    page: Any, live_server: Any, world: World
) -> None:
    raters = add_members(world, 5)
    round = new_round(world)
    for person in [*raters, world.people["member"]]:
        services.cast_vote(round=round, rater=person, grades=everyone_gives(round, person, 1), by=person.user)

    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/evaluation/rounds/{round.pk}/")
    assert "已参评 6 / 应参评 6 人（100%）" in page.inner_text("#participation-total")
    page.click("#close-round")  # the target is met: no reason asked
    page.wait_for_load_state()
    assert page.inner_text("#round-status") == "已结束"

    page.context.clear_cookies()
    login_in_browser(page, live_server, "committee", PASSWORD)
    page.goto(f"{live_server.url}/evaluation/rounds/{round.pk}/committee/")
    assert "5 人：优秀 0，合格 5" in page.inner_text("#committee-table")
    assert "“优秀”已评定 0 人，最多 2 人" in page.inner_text("#cap-count")
    page.locator("#committee-table a", has_text="评定").first.click()  # one member on their own
    page.wait_for_url("**/evaluation/decisions/*/")
    page.click("label[for=id_grade_0]")
    page.fill("#id_opinion", "带头学习，服务群众突出")
    page.fill("#id_reason", "测评结果与一贯表现一致")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/evaluation/rounds/{round.pk}/committee/")
    assert "“优秀”已评定 1 人，最多 2 人" in page.inner_text("#cap-count")
    page.fill("#remaining #id_opinion", "理想信念坚定，工作积极")  # the five plain cases at once
    page.fill("#remaining #id_reason", "测评结果与一贯表现一致")
    page.click("#decide-remaining")
    page.wait_for_url(f"**/evaluation/rounds/{round.pk}/committee/")
    assert Decision.objects.count() == 6 and "已一并评定 5 名党员" in page.inner_text("main")
    assert page.locator("#committee-table td.decided", has_text="合格").count() == 5

    page.context.clear_cookies()
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/evaluation/rounds/{round.pk}/")
    page.click("#notice-create")
    page.click("label[for=id_scope_2]")  # 社会公开
    page.click("#publish")
    page.wait_for_url("**/evaluation/notices/*/")
    round = EvaluationRound.objects.get(pk=round.pk)
    assert "实际参评 6 名" in page.inner_text("#notice-counts")
    assert round.close_hash in page.inner_text("#audit-hash")
    notice = Notice.objects.get()
    page.context.clear_cookies()  # a public notice needs no login
    page.goto(f"{live_server.url}/evaluation/notices/{notice.pk}/")
    grades = page.inner_text("#notice-grades")
    assert "优秀\t1" in grades and "\n合格\t5" in grades
