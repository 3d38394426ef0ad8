"""Deleting a question from a bank: how a typo is mended (import the corrected one, delete this one)."""

from __future__ import annotations

import pytest

from conftest import World
from pingyi.core.models import AuditEntry
from pingyi.exams import services
from pingyi.exams.models import Answer, Kind, Question, QuestionBank, Sitting

from .conftest import make_bank, make_paper

pytestmark = pytest.mark.django_db


def _delete(world: World, question: Question, persona: str = "secretary") -> str:
    client = world.client(persona)
    response = client.post(f"/exams/banks/{question.bank_id}/questions/{question.pk}/delete/", follow=True)
    return response.content.decode()


def test_a_question_no_sheet_or_paper_needs_is_deleted_and_audited(world: World) -> None:
    bank = make_bank(world, name="未用题库")
    question = Question.objects.get(bank=bank, text__startswith="预备党员的预备期")
    page = _delete(world, question)
    assert "试题已删除。" in page and "预备党员的预备期" not in page
    assert not Question.objects.filter(pk=question.pk).exists()
    entry = AuditEntry.objects.filter(action="exams.question_deleted").get()
    assert entry.data["text"].startswith("预备党员的预备期")

    again = _delete(world, question)  # the second click of a double submit
    assert "这道题已经删除了。" in again
    assert AuditEntry.objects.filter(action="exams.question_deleted").count() == 1


def test_a_question_drawn_into_a_sheet_stays(world: World, sitting: Sitting) -> None:
    sheet = services.start_sheet(sitting=sitting, person=world.people["member"], by=world.users["member"])
    drawn = Answer.objects.filter(sheet=sheet).select_related("question").first().question  # type: ignore[union-attr]
    page = _delete(world, drawn)
    assert "这道题已经抽进了答卷，不能删除" in page
    assert Question.objects.filter(pk=drawn.pk).exists()


def test_a_question_a_paper_cannot_do_without_stays_and_the_paper_is_named(world: World, bank: QuestionBank) -> None:
    make_paper(world, bank, title="百题测试（第一批）")  # draws both true/false questions of the bank
    true_false = Question.objects.filter(bank=bank, kind=Kind.TRUE_FALSE).first()
    assert true_false is not None
    page = _delete(world, true_false)
    assert "试卷“百题测试（第一批）”要抽 2 道判断题，删除这道后题库里只剩 1 道" in page
    assert Question.objects.filter(pk=true_false.pk).exists()

    spare = Question.objects.filter(bank=bank, kind=Kind.SINGLE).last()  # three in the bank, the paper draws two
    assert spare is not None
    assert "试题已删除。" in _delete(world, spare)


def test_only_those_who_run_the_test_delete_questions(world: World, bank: QuestionBank) -> None:
    question = Question.objects.filter(bank=bank).first()
    assert question is not None
    for persona in ("committee", "member", "supervisor"):
        response = world.client(persona).post(f"/exams/banks/{bank.pk}/questions/{question.pk}/delete/")
        assert response.status_code == 403, persona
    assert Question.objects.filter(pk=question.pk).exists()
