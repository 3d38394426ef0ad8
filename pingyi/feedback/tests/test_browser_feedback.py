from datetime import date
from typing import Any

import pytest

from conftest import PASSWORD, World, login_in_browser, open_campaign
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
