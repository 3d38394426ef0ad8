"""The progress page's "提醒逾期人员": one notice to each person overdue on the stage, at most one a day."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, World, add_member, login_in_browser, open_campaign
from pingyi.core.models import AuditEntry, Notification
from pingyi.core.notifications import set_muted
from pingyi.reports import services
from pingyi.reports.selectors import overdue_recipients


@pytest.fixture
def behind(world: World) -> Any:
    """The branch's campaign 70 days in: stage 1's items are past their deadline for those who did nothing."""
    add_member(world, "李外出")  # no login: reached by phone only
    return open_campaign(world, starts_on=timezone.localdate() - timedelta(days=70))


def remind_url(campaign: Any) -> str:
    return reverse("reports:remind", args=[campaign.pk, 1])


@pytest.mark.django_db
def test_each_overdue_person_with_a_login_gets_one_notice_naming_their_items(world: World, behind: Any) -> None:
    late = overdue_recipients(behind, behind.stages.get(order=1))
    assert world.people["member"].pk in late
    result = services.remind_overdue(stage=behind.stages.get(order=1), by=world.users["secretary"])
    notice = Notification.objects.get(recipient=world.users["member"])
    assert notice.kind == "reports.overdue" and late[world.people["member"].pk][0] in notice.body
    assert notice.url == reverse("campaigns:detail", args=[behind.pk])
    assert result.sent == Notification.objects.count() and result.no_login >= 1
    assert AuditEntry.objects.filter(action="reports.reminded_overdue").count() == 1


@pytest.mark.django_db
def test_pressing_twice_a_day_sends_nothing_more_and_says_so(world: World, behind: Any) -> None:
    client = world.client("secretary")
    first = client.post(remind_url(behind), follow=True).content.decode()
    sent = Notification.objects.count()
    assert sent >= 1 and f"已提醒 {sent} 人" in first
    second = client.post(remind_url(behind), follow=True).content.decode()
    assert Notification.objects.count() == sent
    assert "已提醒 0 人" in second and f"{sent} 人今天已提醒过" in second
    assert AuditEntry.objects.filter(action="reports.reminded_overdue").count() == 1  # nothing new was done


@pytest.mark.django_db
def test_a_member_who_muted_overdue_reminders_is_counted_not_sent(world: World, behind: Any) -> None:
    set_muted(user=world.users["member"], muted=["reports.overdue"])
    page = world.client("secretary").post(remind_url(behind), follow=True).content.decode()
    assert not Notification.objects.filter(recipient=world.users["member"]).exists()
    assert "1 人关闭了这类提醒" in page


@pytest.mark.django_db
def test_only_those_who_run_the_campaign_may_remind(world: World, behind: Any) -> None:
    assert world.client("committee").post(remind_url(behind)).status_code == 403
    assert world.client("supervisor").post(remind_url(behind)).status_code == 403
    assert world.client("outsider").post(remind_url(behind)).status_code == 404
    assert world.client("secretary").get(remind_url(behind)).status_code == 405
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_the_button_is_shown_to_the_secretary_only(world: World, behind: Any) -> None:
    url = reverse("reports:progress", args=[behind.pk])
    assert "提醒逾期人员" in world.client("secretary").get(url).content.decode()
    assert "提醒逾期人员" not in world.client("supervisor").get(url).content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_secretary_reminds_the_overdue_and_the_member_reads_it(page: Any, live_server: Any, world: World) -> None:
    campaign = open_campaign(world, starts_on=timezone.localdate() - timedelta(days=70))
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}{reverse('reports:progress', args=[campaign.pk])}?stage=1")
    page.click("#remind button")
    page.wait_for_load_state()
    assert "已提醒 1 人" in page.inner_text("main")
    page.click("#remind button")
    page.wait_for_load_state()
    assert "1 人今天已提醒过" in page.inner_text("main")
    page.click("button:has-text('退出')")

    page.set_viewport_size({"width": 390, "height": 844})
    login_in_browser(page, live_server, "member", PASSWORD)
    page.goto(f"{live_server.url}/notifications/")
    assert "您有逾期事项" in page.inner_text("#notices")
    page.click("text=您有逾期事项")
    page.wait_for_url(f"**{reverse('campaigns:detail', args=[campaign.pk])}")
