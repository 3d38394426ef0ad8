"""Items get a deadline wherever they come from, their owner sees them from the first day, the verifier sees
what waits to be verified, and 公开 shows what will be published and to whom first (issue 11 item 14). The
evidence form says why a photo is refused, and the filter tabs add up (issue 12)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from conftest import World, open_campaign
from pingyi.campaigns.models import Campaign
from pingyi.portal.cards import cards_for
from pingyi.rectification import selectors, services
from pingyi.rectification.models import RectificationItem, Scope

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _item(world: World, campaign: Campaign | None = None, **extra: Any) -> RectificationItem:
    extra.setdefault("owner", world.people["member"])
    return services.create_item(
        org=world.orgs["branch"], campaign=campaign, title="窗口服务态度生硬", by=world.users["secretary"], **extra
    )


def test_an_item_in_a_campaign_with_a_rectification_stage_ahead_is_due_at_its_end(world: World) -> None:
    campaign = open_campaign(world, starts_on=TODAY())  # 学习动员 60 days, 分析评议 45, then 整改提高
    stage = campaign.stages.get(code="rectification")
    assert _item(world, campaign).due_on == stage.ends_on > TODAY() + timedelta(days=100)


def test_otherwise_the_branch_days_count_from_today(world: World, campaign: Campaign) -> None:
    assert campaign.stages.get(code="rectification").ends_on < TODAY()  # the 2005 campaign's stage is long over
    assert _item(world, campaign).due_on == TODAY() + timedelta(days=30)
    services.update_settings(org=world.orgs["bureau"], default_days=45, by=world.users["office"])
    assert _item(world, None).due_on == TODAY() + timedelta(days=45)  # inherited from the bureau
    given = TODAY() + timedelta(days=3)
    assert _item(world, campaign, due_on=given).due_on == given
    with pytest.raises(ValidationError, match="1 到 366 天"):
        services.update_settings(org=world.orgs["branch"], default_days=0, by=world.users["secretary"])


def test_the_new_item_form_offers_the_default_and_it_can_be_changed(world: World, campaign: Campaign) -> None:
    client = world.client("secretary")
    page = client.get(reverse("rectification:item_create", kwargs={"campaign_id": campaign.pk})).content.decode()
    assert f'value="{TODAY() + timedelta(days=30):%Y-%m-%d}"' in page
    item = _item(world, campaign)
    later = TODAY() + timedelta(days=60)
    data = {"title": item.title, "owner": world.people["member"].pk, "due_on": f"{later:%Y-%m-%d}"}
    client.post(reverse("rectification:item_edit", kwargs={"rectification_item_id": item.pk}), data)
    item.refresh_from_db()
    assert item.due_on == later


def test_the_owner_sees_the_item_from_the_day_it_is_made(world: World, campaign: Campaign) -> None:
    item = _item(world, campaign)
    mine = [c for c in cards_for(world.users["member"]) if item.title in c.title]
    assert [c.title for c in mine] == ["整改事项待完成：窗口服务态度生硬"]
    assert f"完成时限 {date_format(item.due_on, 'SHORT_DATE_FORMAT')}" in mine[0].detail
    RectificationItem.objects.filter(pk=item.pk).update(due_on=TODAY() - timedelta(days=1))
    titles = [c.title for c in cards_for(world.users["member"]) if item.title in c.title]
    assert titles == ["整改事项已逾期：窗口服务态度生硬"]  # one card, the most pressing


def test_the_verifier_sees_what_waits_to_be_verified(world: World, campaign: Campaign) -> None:
    item = _item(world, campaign)
    assert not [c for c in cards_for(world.users["secretary"]) if "待核实" in c.title]
    services.report_done(item=item, report="已培训", files=[], by=world.users["member"])
    waiting = [c for c in cards_for(world.users["secretary"]) if "待核实" in c.title]
    assert [c.title for c in waiting] == ["1 项整改事项待核实"] and waiting[0].url.endswith("?status=done")
    assert [c.title for c in cards_for(world.users["office"]) if "待核实" in c.title] == ["1 项整改事项待核实"]
    for persona in ("committee", "outsider", "member"):
        assert not [c for c in cards_for(world.users[persona]) if "待核实" in c.title]
    assert not [c for c in cards_for(world.users["member"]) if item.title in c.title]  # reported: not to do
    services.verify_item(item=item, by=world.users["secretary"])
    assert not [c for c in cards_for(world.users["secretary"]) if "待核实" in c.title]


def test_an_item_from_feedback_for_an_unqualified_member_is_due_at_the_deadline_to_correct(
    world: World, campaign: Campaign
) -> None:
    from pingyi.feedback import services as feedback
    from pingyi.feedback.models import Feedback, FeedbackStatus

    letter = feedback.draft_feedback(campaign=campaign, person=world.people["member"], by=None)
    deadline = TODAY() + timedelta(days=200)
    Feedback.objects.filter(pk=letter.pk).update(
        direction="按时参加组织生活。", correct_by=deadline, status=FeedbackStatus.SENT
    )
    letter.refresh_from_db()
    assert feedback.make_item(feedback=letter, by=world.users["secretary"]).due_on == deadline


@pytest.fixture
def verified(world: World, campaign: Campaign) -> RectificationItem:
    item = _item(world, campaign)
    services.report_done(item=item, report="已培训", files=[], by=world.users["member"])
    return services.verify_item(item=item, by=world.users["secretary"]).item


def test_publishing_shows_the_words_and_the_readers_first(world: World, verified: RectificationItem) -> None:
    client = world.client("secretary")
    address = reverse("rectification:item_publish", kwargs={"rectification_item_id": verified.pk})
    words = {"scope": Scope.BUREAU, "public_title": "窗口服务改进", "public_summary": "全员参加文明服务培训"}
    preview = client.post(address, words)
    body = preview.content.decode()
    assert preview.status_code == 200 and "确认公开到边议边改清单" in body
    assert "公开范围：<strong>本局干部职工</strong>" in body and "区劳动和社会保障局党组" in body
    assert "窗口服务改进" in body and "全员参加文明服务培训" in body and "王党员" not in body
    verified.refresh_from_db()
    assert verified.publish_scope == ""  # nothing published by the preview
    client.post(address, {**words, "confirm": "1"})
    verified.refresh_from_db()
    assert verified.publish_scope == Scope.BUREAU and verified.public_title == "窗口服务改进"


def test_the_public_scope_says_anyone_and_personal_data_is_refused_at_the_preview(
    world: World, verified: RectificationItem
) -> None:
    client = world.client("secretary")
    address = reverse("rectification:item_publish", kwargs={"rectification_item_id": verified.pk})
    public = {"scope": Scope.PUBLIC, "public_title": "窗口服务改进", "public_summary": "培训"}
    assert "任何人，无需登录" in client.post(address, public).content.decode()
    named = client.post(address, {**public, "public_summary": "王党员已改正"}, follow=True).content.decode()
    assert "不能含有个人信息" in named and "确认公开到边议边改清单" not in named


def test_the_filter_tabs_add_up(world: World, campaign: Campaign) -> None:
    _item(world, campaign, due_on=TODAY() + timedelta(days=5))
    _item(world, campaign, due_on=TODAY() - timedelta(days=5))
    done = _item(world, campaign)
    services.report_done(item=done, report="已完成", files=[], by=world.users["member"])
    verified = _item(world, campaign)
    services.report_done(item=verified, report="已完成", files=[], by=world.users["member"])
    services.verify_item(item=verified, by=world.users["secretary"])
    counts = selectors.counts(selectors.items_of_campaign(campaign))
    assert (counts.total, counts.open, counts.overdue, counts.done, counts.verified) == (4, 1, 1, 1, 1)
    assert counts.open + counts.overdue + counts.done + counts.verified == counts.total
    for status in ("open", "overdue", "done", "verified"):
        assert selectors.items_of_campaign(campaign, status=status).count() == 1
    page = world.client("secretary").get(reverse("rectification:campaign", kwargs={"campaign_id": campaign.pk}))
    text = page.content.decode()
    assert "全部 4" in text and "整改中 1" in text and "已逾期 1" in text and "待核实 1" in text and "已核实 1" in text


JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def test_a_photo_is_refused_with_the_reason_and_how_to_turn_photos_on(world: World, campaign: Campaign) -> None:
    item = _item(world, campaign)
    client = world.client("member")
    page = client.get(reverse("rectification:item", kwargs={"rectification_item_id": item.pk})).content.decode()
    assert 'accept=".pdf,.docx,.xlsx,.doc,.xls"' in page and "整改设置" in page
    for name in ("IMG_0001.HEIC", "photo.jpg"):
        response = client.post(
            reverse("rectification:item_report", kwargs={"rectification_item_id": item.pk}),
            {"report": "已培训", "attachments": [SimpleUploadedFile(name, JPEG)]},
            follow=True,
        )
        text = response.content.decode()
        assert "照片佐证默认关闭，本支部没有开启" in text and "整改设置" in text and "PDF、Word 或 Excel" in text
    services.set_photo_evidence(org=world.orgs["branch"], enabled=True, by=world.users["secretary"])
    page = client.get(reverse("rectification:item", kwargs={"rectification_item_id": item.pk})).content.decode()
    assert ".jpg,.jpeg,.png" in page
    heic = client.post(
        reverse("rectification:item_report", kwargs={"rectification_item_id": item.pk}),
        {"report": "已培训", "attachments": [SimpleUploadedFile("IMG_0001.HEIC", JPEG)]},
        follow=True,
    )
    assert "请上传 JPG 或 PNG" in heic.content.decode()
