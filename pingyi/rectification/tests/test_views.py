"""The pages: reporting with files, verification, the public list, opinions and checks turned into items."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import World, add_member
from pingyi.campaigns.models import Campaign
from pingyi.opinions.models import Channel, OpinionRound
from pingyi.opinions.services import record_opinion
from pingyi.rectification import services
from pingyi.rectification.models import Evidence, ItemStatus, RectificationItem, Scope

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def item(world: World, campaign: Campaign) -> RectificationItem:
    return services.create_item(
        org=world.orgs["branch"],
        campaign=campaign,
        title="窗口服务态度生硬",
        detail="群众反映：王党员态度生硬",
        owner=world.people["member"],
        measures="文明服务培训",
        by=world.users["secretary"],
    )


def url(name: str, item: RectificationItem) -> str:
    return reverse(f"rectification:{name}", kwargs={"rectification_item_id": item.pk})


def test_owner_reports_done_with_a_file(world: World, item: RectificationItem) -> None:
    client = world.client("member")
    page = client.get(url("item", item)).content.decode()
    assert "报告完成" in page
    response = client.post(
        url("item_report", item),
        {"report": "已培训", "attachments": [SimpleUploadedFile("签到.pdf", PDF)]},
        follow=True,
    )
    assert "已报告完成，等待支部核实。" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and Evidence.objects.get(item=item).filename == "签到.pdf"


def test_a_bad_file_is_refused_in_chinese_and_nothing_is_kept(world: World, item: RectificationItem) -> None:
    response = world.client("member").post(
        url("item_report", item),
        {"report": "已培训", "attachments": [SimpleUploadedFile("病毒.exe", b"MZ")]},
        follow=True,
    )
    assert "“病毒.exe”的类型不支持" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN and not Evidence.objects.exists()


def test_another_member_of_the_branch_may_not_read_or_report_the_item(world: World, item: RectificationItem) -> None:
    add_member(world, "李明", login="liming")
    client = world.client("liming")
    assert client.get(url("item", item)).status_code == 403
    assert client.post(url("item_report", item), {"report": "x"}).status_code == 403


def test_secretary_verifies_and_a_second_click_says_so(world: World, item: RectificationItem) -> None:
    services.report_done(item=item, report="已培训", files=[], by=world.users["member"])
    client = world.client("secretary")
    assert "核实销号" in client.get(url("item", item)).content.decode()
    assert "已核实，整改事项销号。" in client.post(url("item_verify", item), follow=True).content.decode()
    assert "已经核实过了。" in client.post(url("item_verify", item), follow=True).content.decode()
    assert client.get(url("item_verify", item)).status_code == 405


def test_return_without_a_reason_is_refused(world: World, item: RectificationItem) -> None:
    services.report_done(item=item, report="已培训", files=[], by=world.users["member"])
    response = world.client("secretary").post(url("item_return", item), {"reason": ""}, follow=True)
    assert "请写明退回原因" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE


def test_the_public_list_shows_only_public_words_to_anonymous_visitors(world: World, item: RectificationItem) -> None:
    services.report_done(item=item, report="已培训", files=[], by=world.users["member"])
    services.verify_item(item=item, by=world.users["secretary"])
    response = world.client("secretary").post(
        url("item_publish", item),
        {
            "scope": Scope.PUBLIC,
            "public_title": "窗口服务改进",
            "public_summary": "全员参加文明服务培训",
            "confirm": "1",
        },
        follow=True,
    )
    assert "已公开到边议边改清单。" in response.content.decode()
    page = world.client("anonymous").get(reverse("rectification:public", kwargs={"org_code": "BRANCH"}))
    text = page.content.decode()
    assert page.status_code == 200 and "窗口服务改进" in text and "全员参加文明服务培训" in text
    assert "王党员" not in text and "态度生硬" not in text
    assert world.client("anonymous").get("/rectification/changes/NOPE/").status_code == 404


def test_a_member_sees_only_their_own_items_on_the_campaign_page(
    world: World, campaign: Campaign, item: RectificationItem
) -> None:
    services.create_item(org=world.orgs["branch"], campaign=campaign, title="别人的事项", by=None)
    page = world.client("member").get(reverse("rectification:campaign", kwargs={"campaign_id": campaign.pk}))
    text = page.content.decode()
    assert "我的整改事项" in text and "窗口服务态度生硬" in text and "别人的事项" not in text
    assert "别人的事项" in world.client("committee").get(page.wsgi_request.path).content.decode()


def test_the_campaign_list_costs_the_same_for_many_items(
    world: World, campaign: Campaign, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        services.create_item(org=world.orgs["branch"], campaign=campaign, title=f"事项{n}", by=None)
    client = world.client("secretary")
    with django_assert_max_num_queries(12):
        client.get(reverse("rectification:campaign", kwargs={"campaign_id": campaign.pk}))


def test_editing_an_item_from_an_opinion_offers_the_person_it_concerns(world: World) -> None:
    from pingyi.opinions.services import turn_into_rectification

    round_ = OpinionRound.objects.create(org=world.orgs["branch"], title="座谈会")
    opinion = record_opinion(
        round=round_,
        channel=Channel.SYMPOSIUM,
        text="审批材料要求太多",
        concerns_person=world.people["member"],
        by=None,
    )
    item = turn_into_rectification(opinion=opinion, by=world.users["secretary"])
    client = world.client("secretary")
    form = client.get(url("item_edit", item)).content.decode()
    assert f'<option value="{world.people["member"].pk}" selected>' in form
    response = client.post(
        url("item_edit", item),
        {
            "title": "精简审批材料",
            "owner": world.people["member"].pk,
            "measures": "清理材料清单",
            "due_on": "2026-12-31",
        },
    )
    item.refresh_from_db()
    assert response["Location"] == url("item", item) and item.owner == world.people["member"]
    assert item.measures == "清理材料清单" and str(item.due_on) == "2026-12-31"
    assert world.client("committee").get(url("item_edit", item)).status_code == 403


def test_the_secretary_turns_photo_evidence_on(world: World) -> None:
    address = reverse("rectification:settings", kwargs={"org_code": "BRANCH"})
    client = world.client("secretary")
    assert client.post(address, {"photo_evidence": "on", "default_days": 30}).status_code == 302
    assert services.photo_evidence_allowed(world.orgs["branch"])
    client.post(address, {"default_days": 30})
    assert not services.photo_evidence_allowed(world.orgs["branch"])


def test_a_four_checks_entry_with_a_finding_lands_on_the_list(world: World, campaign: Campaign) -> None:
    client = world.client("secretary")
    response = client.post(
        reverse("rectification:checks", kwargs={"campaign_id": campaign.pk}), {"title": "四个查一查"}
    )
    check_url = response["Location"]
    response = client.post(
        check_url,
        {"area": "commitment", "procedure": "社保转移", "promised_days": "10", "actual_days": "15", "simplified": "no"},
        follow=True,
    )
    assert "检查项已记录。" in response.content.decode()
    item = RectificationItem.objects.get()
    assert item.campaign == campaign and "超过承诺时限" in item.title
    assert world.client("committee").post(check_url, {"procedure": "x"}).status_code == 403
    bad = client.post(check_url, {"area": "commitment", "procedure": "", "simplified": "no"})
    assert bad.status_code == 200 and "这个字段是必填项" in bad.content.decode()


def test_evidence_downloads_for_those_who_may_read_the_item(world: World, item: RectificationItem) -> None:
    services.report_done(
        item=item, report="已培训", files=[SimpleUploadedFile("签到.pdf", PDF)], by=world.users["member"]
    )
    address = reverse("rectification:evidence", kwargs={"evidence_id": Evidence.objects.get().pk})
    response = world.client("member").get(address)
    assert response.status_code == 200 and response.content == PDF and response["Content-Type"] == "application/pdf"
    assert world.client("outsider").get(address).status_code == 404
