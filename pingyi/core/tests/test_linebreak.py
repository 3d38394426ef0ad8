"""Chinese line breaking (禁则): what a reader would object to never happens, and the rules do bite."""

from __future__ import annotations

import pytest

from pingyi.core.documents import Document
from pingyi.core.documents.linebreak import NO_LINE_END, NO_LINE_START, break_lines

from .rendering import measure

PITCH = 15.75


def _advance(ch: str) -> float:
    return PITCH if ord(ch) > 0x2000 else PITCH / 2


def _lines(text: str, chars: int = 28) -> list[str]:
    return break_lines(text, _advance, [chars * PITCH])


SENTENCE = "经支部委员会研究，决定对（张三）同志的《学习心得》予以通报表扬；望大家以“先进”为榜样！"


@pytest.mark.parametrize("lead", range(28))
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(lead: int) -> None:
    lines = _lines("党" * lead + SENTENCE * 3)
    for line in lines[1:]:
        assert line[0] not in NO_LINE_START, lines
    for line in lines[:-1]:
        assert line[-1] not in NO_LINE_END, lines
    assert "".join(lines) == "党" * lead + SENTENCE * 3


def test_the_rules_are_exercised_by_those_texts() -> None:
    """A plain cut every 28 characters would have broken the rules for these leads: the test above can fail."""
    broken = []
    for lead in range(28):
        text = "党" * lead + SENTENCE * 3
        cuts = [text[i : i + 28] for i in range(0, len(text), 28)]
        if any(c[0] in NO_LINE_START for c in cuts[1:]) or any(c[-1] in NO_LINE_END for c in cuts[:-1]):
            broken.append(lead)
    assert len(broken) > 10


def test_a_comma_at_the_margin_hangs_and_other_closing_marks_take_a_character_down() -> None:
    assert _lines("党" * 28 + "，好") == ["党" * 28 + "，", "好"]  # hangs: the line keeps its 28 characters
    assert _lines("党" * 28 + "》好") == ["党" * 27, "党》好"]  # pushed: the line is one short


def test_numbers_and_addresses_are_not_split_and_dashes_stay_whole() -> None:
    assert _lines("党" * 27 + "2026年") == ["党" * 27, "2026年"]  # not "党…党20" + "26年"
    assert _lines("党" * 27 + "——好") == ["党" * 27, "——好"]
    url = "https://example.org/" + "a" * 80
    assert "".join(_lines("请打开" + url)) == "请打开" + url  # longer than a line: split where it must


def test_the_pdf_sets_no_line_with_a_closing_mark_first() -> None:
    doc = Document()
    for lead in range(0, 28, 3):
        doc.paragraph("党" * lead + SENTENCE * 2, indent=False)
    lines = [line for page in measure(doc.to_pdf()) for line in page if line.size == 16]
    assert len(lines) > 25
    for line in lines:
        assert line.text[0] not in NO_LINE_START and line.text[-1] not in NO_LINE_END, line.text
