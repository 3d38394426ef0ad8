"""The pages: the roster of who has not acknowledged, the member's own feedback, the letters as files."""

import io
from typing import Any

import docx
import pypdf
import pytest
from django.urls import reverse

from conftest import World, add_member
from pingyi.campaigns.models import Campaign
from pingyi.feedback import services
from pingyi.feedback.models import Feedback, FeedbackStatus
from pingyi.org.models import Person

pytestmark = pytest.mark.django_db


def delivered(world: World, campaign: Campaign, person: Person | None = None) -> Feedback:
    feedback = services.draft_feedback(campaign=campaign, person=person or world.people["member"], by=None)
    services.edit_feedback(
        feedback=feedback, by=None, strengths="学习认真。", problems="联系群众不够。", direction="多下基层。"
    )
    return services.send_feedback(feedback=feedback, by=None).feedback


def detail(feedback: Feedback, name: str = "detail") -> str:
    return reverse(f"feedback:{name}", kwargs={"feedback_id": feedback.pk})


def test_secretary_drafts_for_everyone_and_sees_who_has_not_acknowledged(
    world: World, campaign: Campaign, record: dict[str, set[int]]
) -> None:
    other = add_member(world, "李明")
    client = world.client("secretary")
    page = reverse("feedback:campaign", kwargs={"campaign_id": campaign.pk})
    response = client.post(reverse("feedback:draft_all", kwargs={"campaign_id": campaign.pk}), follow=True)
    assert "已根据记录起草 2 份反馈" in response.content.decode()
    mine = Feedback.objects.get(person=world.people["member"])
    services.edit_feedback(feedback=mine, by=None, strengths="好。", problems="少。", direction="改。")
    services.send_feedback(feedback=mine, by=None)
    waiting = client.get(page + "?state=sent").content.decode()
    assert "王党员" in waiting and "李明" not in waiting
    services.acknowledge(feedback=mine, by=world.users["member"])
    assert "王党员" not in client.get(page + "?state=sent").content.decode()
    assert "确认" in client.get(page + "?state=acknowledged").content.decode()
    assert other.name in client.get(page + "?state=draft").content.decode()


def test_the_committee_sees_the_states_but_not_the_text(
    world: World, campaign: Campaign, record: dict[str, set[int]]
) -> None:
    feedback = delivered(world, campaign)
    page = world.client("committee").get(reverse("feedback:campaign", kwargs={"campaign_id": campaign.pk}))
    assert "王党员" in page.content.decode() and detail(feedback) not in page.content.decode()
    assert world.client("committee").get(detail(feedback)).status_code == 403


def test_a_member_reads_and_acknowledges_their_own_and_nothing_else(
    world: World, campaign: Campaign, record: dict[str, set[int]]
) -> None:
    feedback = services.draft_feedback(campaign=campaign, person=world.people["member"], by=None)
    member = world.client("member")
    assert member.get(detail(feedback)).status_code == 404  # a draft about them is not theirs yet
    feedback = delivered(world, campaign)
    page = member.get(detail(feedback)).content.decode()
    assert "联系群众不够。" in page and "我已阅读，确认收到" in page
    assert "书面反馈待确认" in member.get("/").content.decode()
    response = member.post(detail(feedback, "acknowledge"), follow=True)
    assert "已确认收到书面反馈。" in response.content.decode()
    assert "你已经确认过了。" in member.post(detail(feedback, "acknowledge"), follow=True).content.decode()
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ACKNOWLEDGED and feedback.acknowledged_at is not None
    other = delivered(
        world,
        campaign,
        add_member(world, "李明"),
    )
    assert member.get(detail(other)).status_code == 403
    assert member.post(detail(other, "acknowledge")).status_code == 403
    assert world.client("secretary").post(detail(other, "acknowledge")).status_code == 403
    assert member.get(detail(other, "acknowledge")).status_code == 405


def test_the_edit_page_shows_where_each_sentence_came_from(
    world: World, campaign: Campaign, record: dict[str, set[int]]
) -> None:
    record["study.attendance"] = {world.people["member"].pk}
    feedback = services.draft_feedback(campaign=campaign, person=world.people["member"], by=None)
    page = world.client("secretary").get(detail(feedback, "edit")).content.decode()
    assert "学习动员 · 工作事项“参加集中学习”的完成记录" in page
    response = world.client("secretary").post(
        detail(feedback, "edit"), {"strengths": "学习认真", "problems": "x", "direction": "y"}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.strengths == "学习认真"


def test_an_incomplete_feedback_is_not_sent_and_the_page_says_what_is_missing(
    world: World, campaign: Campaign, record: dict[str, set[int]]
) -> None:
    feedback = services.draft_feedback(campaign=campaign, person=world.people["member"], by=None)
    services.edit_feedback(feedback=feedback, by=None, strengths="好", problems="", direction="")
    response = world.client("secretary").post(detail(feedback, "send"), follow=True)
    assert "还缺少：存在的问题、整改方向" in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.DRAFT


def test_the_letter_opens_in_word_and_as_pdf(world: World, campaign: Campaign, record: dict[str, set[int]]) -> None:
    feedback = delivered(world, campaign)
    member = world.client("member")
    response = member.get(detail(feedback, "letter") + "?format=docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "王党员同志：" in text and "一、做得好的方面" in text and "联系群众不够。" in text and "多下基层。" in text
    response = member.get(detail(feedback, "letter") + "?format=pdf")
    pdf = pypdf.PdfReader(io.BytesIO(response.content))
    assert response["Content-Type"] == "application/pdf" and len(pdf.pages) >= 1


def test_all_letters_merge_into_one_file_for_printing(
    world: World, campaign: Campaign, record: dict[str, set[int]], django_assert_max_num_queries: Any
) -> None:
    names = ["李明", "刘芳", "杨军"]
    for name in names:
        delivered(
            world,
            campaign,
            add_member(world, name),
        )
    address = reverse("feedback:letters", kwargs={"campaign_id": campaign.pk})
    secretary = world.client("secretary")
    with django_assert_max_num_queries(8):
        response = secretary.get(address + "?format=docx")
    document = docx.Document(io.BytesIO(response.content))
    greetings = [p.text for p in document.paragraphs if p.text.endswith("同志：")]
    assert greetings == [f"{n}同志：" for n in names]
    pdf = pypdf.PdfReader(io.BytesIO(world.client("secretary").get(address + "?format=pdf").content))
    assert len(pdf.pages) >= len(names)
    assert world.client("member").get(address).status_code == 403


def test_one_click_turns_the_direction_into_the_members_item(
    world: World, campaign: Campaign, record: dict[str, set[int]]
) -> None:
    feedback = delivered(world, campaign)
    client = world.client("secretary")
    first = client.post(detail(feedback, "make_item"))
    second = client.post(detail(feedback, "make_item"))
    feedback.refresh_from_db()
    assert feedback.rectification_item is not None
    assert (
        first["Location"]
        == second["Location"]
        == reverse("rectification:item", kwargs={"rectification_item_id": feedback.rectification_item.pk})
    )
