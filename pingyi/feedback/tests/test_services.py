"""Feedback is drafted from the record (and says from where), delivered in full, acknowledged once."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from conftest import World, add_member
from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.core.models import AuditEntry
from pingyi.evaluation.selectors import CommitteeOpinion
from pingyi.feedback import services
from pingyi.feedback.models import Feedback, FeedbackStatus
from pingyi.feedback.progress import feedback_acknowledged
from pingyi.opinions.models import Channel, OpinionRound
from pingyi.opinions.services import record_opinion
from pingyi.org.models import Person
from pingyi.portal.cards import cards_for
from pingyi.rectification.models import ItemSource, RectificationItem

pytestmark = pytest.mark.django_db


def test_the_draft_is_written_from_the_record_and_names_each_source(
    world: World, campaign: Campaign, record: dict[str, set[int]], monkeypatch: Any
) -> None:
    member = world.people["member"]
    record["study.attendance"] = {member.pk}  # attended; exams.sat left undone; reflections have no provider
    round_ = OpinionRound.objects.create(org=world.orgs["branch"], campaign=campaign, title="第一次征求意见")
    record_opinion(round=round_, channel=Channel.ONLINE, text="接待群众不够耐心", concerns_person=member, by=None)
    decided = CommitteeOpinion("合格", "能够发挥党员作用。", "学习认真，按时参加组织生活。")
    monkeypatch.setattr(services, "committee_opinion", lambda person, c: decided)
    feedback = services.draft_feedback(campaign=campaign, person=member, by=world.users["secretary"])

    # The grade and the committee's opinion stand apart; the reasons for 合格 are a strength.
    assert (feedback.grade, feedback.opinion) == ("合格", "能够发挥党员作用。")
    # The test provider counts every study.attendance item (the optional topic discussion too).
    assert feedback.strengths.splitlines() == [
        "学习认真，按时参加组织生活。",
        "按要求完成了“参加集中学习”。",
        "按要求完成了“参加专题讨论”。",
    ]
    assert feedback.problems.splitlines() == ["“参加百题测试”尚未完成。", "有意见提出：接待群众不够耐心"]
    assert "抓紧完成“参加百题测试”" in feedback.direction
    assert "撰写学习心得" not in feedback.strengths + feedback.problems  # no records, no sentence
    sources = {b["text"]: b["source"] for b in feedback.basis}
    assert sources["学习认真，按时参加组织生活。"] == "支部委员会评定理由（评定等次：合格）"
    assert "能够发挥党员作用。" not in sources  # the opinion itself is not one of the three parts
    assert sources["按要求完成了“参加集中学习”。"] == "学习动员 · 工作事项“参加集中学习”的完成记录"
    assert sources["有意见提出：接待群众不够耐心"].startswith("征求意见“第一次征求意见”（网上表单，")
    assert all(b["source"] for b in feedback.basis)


def test_a_member_with_no_record_gets_empty_sections_not_invented_ones(
    world: World, campaign: Campaign, record: dict[str, set[int]]
) -> None:
    for rule in list(record):
        record.pop(rule)
    WorkItem.objects.filter(stage__campaign=campaign).update(rule="")
    feedback = services.draft_feedback(campaign=campaign, person=world.people["member"], by=None)
    assert (feedback.strengths, feedback.problems, feedback.direction, feedback.basis) == ("", "", "", [])


def test_drafts_are_made_once_per_member_and_redrafting_needs_a_draft(
    world: World, campaign: Campaign, record: dict[str, set[int]]
) -> None:
    add_member(world, "李明", org="group")
    assert services.draft_all(campaign=campaign, by=None) == 2
    assert services.draft_all(campaign=campaign, by=None) == 0
    feedback = Feedback.objects.get(person=world.people["member"])
    services.edit_feedback(feedback=feedback, by=None, strengths="好", problems="差", direction="改")
    redrafted = services.draft_feedback(campaign=campaign, person=world.people["member"], by=None, replace=True)
    assert redrafted.strengths != "好"
    services.edit_feedback(feedback=feedback, by=None, strengths="好", problems="差", direction="改")
    services.send_feedback(feedback=feedback, by=None)
    with pytest.raises(ValidationError, match="已送达"):
        services.draft_feedback(campaign=campaign, person=world.people["member"], by=None, replace=True)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.edit_feedback(feedback=feedback, by=None, strengths="x", problems="y", direction="z")


def _complete(world: World, campaign: Campaign, person: Person | None = None) -> Feedback:
    feedback = services.draft_feedback(campaign=campaign, person=person or world.people["member"], by=None)
    return services.edit_feedback(
        feedback=feedback, by=None, strengths="学习认真。", problems="联系群众不够。", direction="多下基层。"
    )


def test_feedback_is_delivered_only_in_full(world: World, campaign: Campaign, record: dict[str, set[int]]) -> None:
    feedback = services.draft_feedback(campaign=campaign, person=world.people["member"], by=None)
    services.edit_feedback(feedback=feedback, by=None, strengths="学习认真。", problems="", direction="")
    with pytest.raises(ValidationError, match="王党员的反馈还缺少：存在的问题、整改方向。"):
        services.send_feedback(feedback=feedback, by=None)
    other = add_member(world, "李明")
    _complete(world, campaign, other)
    result = services.send_all(campaign=campaign, by=None)
    assert result.sent == 1 and result.held == ["王党员的反馈还缺少：存在的问题、整改方向。"]
    assert Feedback.objects.get(person=other).status == FeedbackStatus.SENT


def test_the_member_acknowledges_once_and_the_time_stays_the_first(
    world: World, campaign: Campaign, record: dict[str, set[int]]
) -> None:
    feedback = _complete(world, campaign)
    with pytest.raises(ValidationError, match="尚未送达"):
        services.acknowledge(feedback=feedback, by=world.users["member"])
    services.send_feedback(feedback=feedback, by=None)
    assert [c.title for c in cards_for(world.users["member"])].count("书面反馈待确认") == 1
    first = services.acknowledge(feedback=feedback, by=world.users["member"])
    entries = AuditEntry.objects.count()
    second = services.acknowledge(feedback=feedback, by=world.users["member"])
    assert first.changed and not second.changed
    assert second.feedback.acknowledged_at == first.feedback.acknowledged_at is not None
    assert AuditEntry.objects.count() == entries
    assert "书面反馈待确认" not in [c.title for c in cards_for(world.users["member"])]


def test_progress_counts_acknowledged_feedback_only(
    world: World, campaign: Campaign, record: dict[str, set[int]]
) -> None:
    item = WorkItem.objects.get(stage__campaign=campaign, rule="feedback.acknowledged")
    people = Person.objects.filter(pk=world.people["member"].pk)
    feedback = _complete(world, campaign)
    services.send_feedback(feedback=feedback, by=None)
    assert feedback_acknowledged(item, people).done == set()
    services.acknowledge(feedback=feedback, by=world.users["member"])
    assert feedback_acknowledged(item, people).done == {world.people["member"].pk}


def test_the_direction_becomes_the_members_item_once_the_letter_is_delivered(
    world: World, campaign: Campaign, record: dict[str, set[int]]
) -> None:
    feedback = _complete(world, campaign)
    with pytest.raises(ValidationError, match="反馈送达后"):  # a draft's direction must not reach the member first
        services.make_item(feedback=feedback, by=world.users["secretary"])
    assert not RectificationItem.objects.exists()
    services.send_feedback(feedback=feedback, by=None)
    item = services.make_item(feedback=feedback, by=world.users["secretary"])
    assert services.make_item(feedback=feedback, by=world.users["secretary"]) == item
    assert item.source == ItemSource.FEEDBACK and item.owner == world.people["member"] and item.campaign == campaign
    assert item.measures == "多下基层。" and item.detail == "联系群众不够。"


def test_the_evaluation_process_itself_is_never_held_against_the_member(
    world: World, campaign: Campaign, record: dict[str, set[int]]
) -> None:
    from pingyi.campaigns import progress
    from pingyi.campaigns.models import Stage

    Stage.objects.filter(campaign=campaign).update(status=Stage.Status.CLOSED)  # every stage counts
    for rule in ["evaluation.opinion_formed", "evaluation.notified"]:  # tracked, and nobody done
        progress.register_rule(rule, rule)(lambda item, people: set())  # the fixture restores the registry
    feedback = services.draft_feedback(campaign=campaign, person=world.people["member"], by=None)
    assert "形成评议意见" not in feedback.problems and "通报评议情况" not in feedback.problems
    assert "参加百题测试" in feedback.problems  # a member's own work item still counts
