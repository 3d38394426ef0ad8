"""The result reaches the member (issue 11 items 1–3): the feedback states the grade and the committee's opinion in
their own place, is drafted according to the grade, says what follows a 基本合格 or 不合格, shows the vote by
dimension, and never blames work that still has time to run."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import World, add_member, add_members
from pingyi.campaigns import services as campaigns
from pingyi.campaigns.models import Campaign, CampaignTemplate, Stage, WorkItem
from pingyi.evaluation import services as evaluation
from pingyi.evaluation.tests.factories import close, everyone_gives, member_of, new_round
from pingyi.feedback import services
from pingyi.feedback.models import FeedbackStatus

pytestmark = pytest.mark.django_db


def _page(world: World, persona: str, name: str, feedback: Any) -> bytes:
    return world.client(persona).get(reverse(f"feedback:{name}", kwargs={"feedback_id": feedback.pk})).content


def _letter_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def graded(world: World) -> Any:
    """A closed round (dimensions on) of the democratic-evaluation campaign; 王党员 is rated by six."""
    raters = [*add_members(world, 6), add_member(world, "党员07", login="rater7", probationary=True)]
    round = new_round(world, dimensions=["理想信念"])
    for person in raters[:6]:
        ballot = everyone_gives(round, person, 1)
        dims = {(m, 1): 0 for m in ballot}
        evaluation.cast_vote(round=round, rater=person, grades=ballot, dimension_grades=dims, by=person.user)
    return close(round, world.users["secretary"])


def _decide(world: World, round: Any, person: Any, grade: int | None, **extra: Any) -> None:
    evaluation.decide(
        member=member_of(round, person),
        grade=grade,
        opinion=extra.pop("opinion", "联系群众不够主动，服务意识有待加强。"),
        reason=extra.pop("reason", "群众反映接待不够耐心。"),
        by=world.users["committee"],
        **extra,
    )


def test_a_basically_qualified_member_reads_the_grade_and_what_follows(world: World, graded: Any) -> None:
    member = world.people["member"]
    _decide(world, graded, member, 2)
    feedback = services.draft_feedback(campaign=graded.campaign, person=member, by=world.users["secretary"])
    assert (feedback.grade, feedback.opinion) == ("基本合格", "联系群众不够主动，服务意识有待加强。")
    assert "联系群众不够主动" not in feedback.strengths  # the opinion is never drafted as a strength
    assert "群众反映接待不够耐心。" in feedback.problems.splitlines()  # the reasons for 基本合格 are problems
    assert "对照支部指出的问题逐项整改" in feedback.direction
    sources = {b["text"]: b["source"] for b in feedback.basis}
    assert sources["群众反映接待不够耐心。"] == "支部委员会评定理由（评定等次：基本合格）"
    services.edit_feedback(
        feedback=feedback,
        by=None,
        strengths="按时参加组织生活。",
        problems=feedback.problems,
        direction=feedback.direction,
    )
    services.send_feedback(feedback=feedback, by=world.users["secretary"])
    page = world.client("member").get(reverse("feedback:detail", kwargs={"feedback_id": feedback.pk}))
    body = page.content.decode()
    assert 'data-testid="grade">基本合格<' in body and "联系群众不够主动，服务意识有待加强。" in body
    assert "评定为基本合格的，支部指出存在的问题" in body and "下一年度民主评议时报告整改落实情况" in body
    letter = world.client("member").get(reverse("feedback:letter", kwargs={"feedback_id": feedback.pk}))
    text = _letter_text(letter.content)
    assert "一、评定等次和评议意见" in text and "经支部委员会研究，评定等次为：基本合格。" in text
    assert "支部委员会评议意见：联系群众不够主动，服务意识有待加强。" in text
    assert "评定为基本合格的，支部指出存在的问题" in text
    strengths = text[text.index("做得好的方面") : text.index("存在的问题")]
    assert "联系群众不够主动" not in strengths


def test_an_unqualified_member_is_told_the_deadline_to_correct(world: World, graded: Any) -> None:
    member = world.people["member"]
    deadline = timezone.localdate() + timedelta(days=180)
    _decide(world, graded, member, 3, correct_by=deadline, opinion="长期不参加组织生活。", reason="经教育仍无改进。")
    feedback = services.draft_feedback(campaign=graded.campaign, person=member, by=None)
    written = f"{deadline.year}年{deadline.month}月{deadline.day}日"
    assert f"接受支部的教育帮助，在{written}前改正支部指出的问题。" in feedback.direction
    assert feedback.correct_by == deadline
    text = _letter_text(
        world.client("secretary").get(reverse("feedback:letter", kwargs={"feedback_id": feedback.pk})).content
    )
    assert "评定等次为：不合格" in text
    assert f"请于{written}前改正上述问题；期满仍无转变或者拒不改正的，支部将按照有关规定作出组织处置。" in text


def test_a_probationary_member_is_told_they_are_not_graded(world: World, graded: Any) -> None:
    probationary = world.people["rater7"]
    _decide(world, graded, probationary, None, opinion="积极参加学习。", reason="按期参加组织生活。")
    feedback = services.draft_feedback(campaign=graded.campaign, person=probationary, by=None)
    assert (feedback.grade, feedback.opinion) == ("", "积极参加学习。")
    text = _letter_text(
        world.client("secretary").get(reverse("feedback:letter", kwargs={"feedback_id": feedback.pk})).content
    )
    assert "预备党员参加民主评议，不评定等次。" in text and "民主测评结果" not in text  # not on the ballot


def test_the_vote_by_dimension_reaches_the_feedback(world: World, graded: Any) -> None:
    member = world.people["member"]
    _decide(world, graded, member, 1, opinion="合格。", reason="一贯表现良好。")
    feedback = services.draft_feedback(campaign=graded.campaign, person=member, by=None)
    body = (
        world.client("secretary").get(reverse("feedback:detail", kwargs={"feedback_id": feedback.pk})).content.decode()
    )
    result = body[body.index('data-testid="vote-result"') :]
    assert "<td>总体评价</td><td>优秀 0，合格 6，基本合格 0，不合格 0（6 人）</td>" in result
    assert "<td>理想信念</td><td>优秀 6，合格 0，基本合格 0，不合格 0（6 人）</td>" in result
    assert "<td>无人测评</td>" in result  # the public source: no code was used


def test_feedback_waits_for_the_decision_and_takes_a_changed_one(world: World, graded: Any) -> None:
    member = world.people["member"]
    by = world.users["secretary"]
    feedback = services.draft_feedback(campaign=graded.campaign, person=member, by=by)
    services.edit_feedback(
        feedback=feedback, by=by, strengths="学习认真。", problems="联系群众不够。", direction="多下基层。"
    )

    with pytest.raises(ValidationError, match="尚未对王党员形成评定意见"):
        services.send_feedback(feedback=feedback, by=by)
    _decide(world, graded, member, 1, opinion="合格。", reason="一贯表现良好。")
    held = services.send_feedback(feedback=feedback, by=by)  # drafted before the decision: it takes it first
    assert held.held and "现在的评定（合格）" in held.held and not held.changed
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.DRAFT and (feedback.grade, feedback.opinion) == ("合格", "合格。")
    assert services.send_feedback(feedback=feedback, by=by).changed


# ---------------------------------------------------------------- item 2: only overdue work is a shortcoming


@pytest.fixture
def running(world: World, record: dict[str, set[int]]) -> Campaign:
    """The advanced-nature campaign opened today: its first stage has weeks to run."""
    return campaigns.create_campaign(
        org=world.orgs["branch"],
        template=CampaignTemplate.objects.get(code="advanced-nature-education"),
        title="先进性教育活动",
        starts_on=timezone.localdate(),
        by=world.users["secretary"],
    )


def _problems(world: World, campaign: Campaign) -> list[str]:
    feedback = services.draft_feedback(campaign=campaign, person=world.people["member"], by=None, replace=True)
    return feedback.problems.splitlines()


def test_work_with_weeks_to_run_is_not_a_shortcoming(world: World, running: Campaign) -> None:
    exam = WorkItem.objects.get(stage__campaign=running, rule="exams.sat")
    assert exam.stage.status == Stage.Status.OPEN and exam.stage.ends_on > timezone.localdate() + timedelta(days=14)
    services.draft_feedback(campaign=running, person=world.people["member"], by=None)
    assert "“参加百题测试”尚未完成。" not in _problems(world, running)


def test_overdue_work_is_a_shortcoming_and_says_where_it_came_from(world: World, running: Campaign) -> None:
    exam = WorkItem.objects.get(stage__campaign=running, rule="exams.sat")
    WorkItem.objects.filter(pk=exam.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    services.draft_feedback(campaign=running, person=world.people["member"], by=None)
    assert "“参加百题测试”尚未完成。" in _problems(world, running)
    feedback = services.draft_feedback(campaign=running, person=world.people["member"], by=None)
    sources = {b["text"]: b["source"] for b in feedback.basis}
    assert sources["“参加百题测试”尚未完成。"] == "学习动员 · 工作事项“参加百题测试”的完成记录"


def test_work_missed_in_a_closed_stage_is_a_shortcoming(world: World, running: Campaign) -> None:
    Stage.objects.filter(campaign=running, order=1).update(status=Stage.Status.CLOSED)
    services.draft_feedback(campaign=running, person=world.people["member"], by=None)
    assert "“参加百题测试”尚未完成。" in _problems(world, running)


def test_the_secretary_sees_where_every_sentence_came_from(world: World, graded: Any) -> None:
    member = world.people["member"]
    _decide(world, graded, member, 2)
    feedback = services.draft_feedback(campaign=graded.campaign, person=member, by=None)
    page = world.client("secretary").get(reverse("feedback:edit", kwargs={"feedback_id": feedback.pk}))
    body = page.content.decode()
    assert all(b["source"] in body for b in feedback.basis) and feedback.basis
    assert 'data-testid="grade">基本合格<' in body  # the grade beside the draft it shapes
