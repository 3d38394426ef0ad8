from datetime import date
from typing import Any

import pytest

from conftest import PASSWORD, World, add_members, login_in_browser, open_campaign
from pingyi.core.models import AuditEntry
from pingyi.feedback import services
from pingyi.feedback.models import Feedback, FeedbackStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def delivered(world: World, record: dict[str, set[int]]) -> Feedback:
    campaign = open_campaign(world, "democratic-evaluation", title="2026年度民主评议党员", starts_on=date(2026, 11, 1))
    feedback = services.draft_feedback(campaign=campaign, person=world.people["member"], by=None)
    services.edit_feedback(
        feedback=feedback,
        by=None,
        strengths="学习认真，按时参加组织生活。",
        problems="联系群众不够主动。",
        direction="每月到服务窗口值班一次。",
    )
    return services.send_feedback(feedback=feedback, by=world.users["secretary"]).feedback


def test_a_member_reads_and_acknowledges_their_feedback_on_a_phone(
    page: Any, live_server: Any, world: World, delivered: Feedback
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login_in_browser(page, live_server, "member", PASSWORD)
    card = page.locator("#waiting a", has_text="书面反馈待确认")
    card.click()
    page.wait_for_url(f"**/feedback/{delivered.pk}/")
    text = page.inner_text("[data-testid=feedback-text]")
    assert "联系群众不够主动。" in text and "每月到服务窗口值班一次。" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("[data-testid=acknowledge-form] button").dblclick()  # an impatient double tap
    page.wait_for_selector("[data-testid=acknowledged]")
    assert "确认收到" in page.inner_text("[data-testid=acknowledged]")
    delivered.refresh_from_db()
    assert delivered.status == FeedbackStatus.ACKNOWLEDGED and delivered.acknowledged_at is not None
    assert AuditEntry.objects.filter(action="feedback.acknowledged").count() == 1
    page.goto(f"{live_server.url}/")
    assert page.locator("#waiting a", has_text="书面反馈待确认").count() == 0


def test_a_basically_qualified_member_reads_the_grade_and_what_follows_on_a_phone(
    page: Any, live_server: Any, world: World
) -> None:
    from pingyi.evaluation import services as evaluation
    from pingyi.evaluation.tests.factories import close, everyone_gives, member_of, new_round

    raters = add_members(world, 5)
    round = new_round(world, dimensions=["服务群众"])
    for person in raters:
        evaluation.cast_vote(round=round, rater=person, grades=everyone_gives(round, person, 1), by=person.user)
    round = close(round, world.users["secretary"])
    evaluation.decide(
        member=member_of(round, world.people["member"]),
        grade=2,
        opinion="能参加组织生活，但联系群众不够主动。",
        reason="征求意见中群众反映接待不够耐心。",
        by=world.users["committee"],
    )
    feedback = services.draft_feedback(campaign=round.campaign, person=world.people["member"], by=None)
    services.edit_feedback(
        feedback=feedback,
        by=None,
        strengths="按时参加组织生活。",
        problems=feedback.problems,
        direction=feedback.direction,
    )
    services.send_feedback(feedback=feedback, by=world.users["secretary"])

    page.set_viewport_size({"width": 390, "height": 844})
    login_in_browser(page, live_server, "member", PASSWORD)
    page.locator("#waiting a", has_text="书面反馈待确认").click()
    page.wait_for_url(f"**/feedback/{feedback.pk}/")
    assert page.inner_text("[data-testid=grade]") == "基本合格"
    assert "联系群众不够主动" in page.inner_text("[data-testid=opinion]")
    follows = page.inner_text("[data-testid=what-follows]")
    assert "评定为基本合格的，支部指出存在的问题" in follows and "下一年度民主评议时报告整改落实情况" in follows
    assert "群众反映接待不够耐心" in page.inner_text("[data-testid=feedback-text]")
    assert "服务群众" in page.inner_text("[data-testid=vote-result]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("[data-testid=acknowledge-form] button")
    page.wait_for_selector("[data-testid=acknowledged]")
