"""Grading each kind of question; fill-ins forgive full-/half-width forms and spacing."""

from __future__ import annotations

import pytest

from pingyi.exams.grading import encode_choices, grade, normalise
from pingyi.exams.models import Kind


def test_a_single_choice_is_graded_by_the_option_chosen_not_its_position() -> None:
    assert grade(Kind.SINGLE, "3", correct_ids=[3], accepted=[], points=2) == (2, True)
    assert grade(Kind.SINGLE, "1", correct_ids=[3], accepted=[], points=2) == (0, False)
    assert grade(Kind.SINGLE, "", correct_ids=[3], accepted=[], points=2) == (0, False)


def test_a_multiple_choice_needs_exactly_the_right_options() -> None:
    assert grade(Kind.MULTIPLE, "4,1", correct_ids=[1, 4], accepted=[], points=1) == (1, True)
    assert grade(Kind.MULTIPLE, "1", correct_ids=[1, 4], accepted=[], points=1) == (0, False)
    assert grade(Kind.MULTIPLE, "1,2,4", correct_ids=[1, 4], accepted=[], points=1) == (0, False)


def test_true_false() -> None:
    assert grade(Kind.TRUE_FALSE, "2", correct_ids=[2], accepted=[], points=1) == (1, True)
    assert grade(Kind.TRUE_FALSE, "1", correct_ids=[2], accepted=[], points=1) == (0, False)


@pytest.mark.parametrize(
    "given",
    ["两年", " 两 年 ", "２年", "2年", "2 年。", "两年\n"],
)
def test_a_fill_in_accepts_any_accepted_answer_whatever_its_width_and_spacing(given: str) -> None:
    assert grade(Kind.FILL, given, correct_ids=[], accepted=["两年", "2年"], points=2) == (2, True)


def test_a_fill_in_with_another_answer_or_none_is_wrong() -> None:
    assert grade(Kind.FILL, "三年", correct_ids=[], accepted=["两年", "2年"], points=2) == (0, False)
    assert grade(Kind.FILL, "  ", correct_ids=[], accepted=["两年"], points=2) == (0, False)


def test_full_width_latin_letters_and_case_are_forgiven() -> None:
    assert normalise("ＡＢＣ　ｄ") == normalise("abc d") == "abcd"


def test_a_short_answer_waits_for_a_grader_unless_it_is_empty() -> None:
    assert grade(Kind.SHORT, "警告、严重警告", correct_ids=[], accepted=[], points=5) == (None, None)
    assert grade(Kind.SHORT, " ", correct_ids=[], accepted=[], points=5) == (0, False)


def test_choices_are_stored_as_sorted_ids() -> None:
    assert encode_choices([4, 1, 4]) == "1,4"
