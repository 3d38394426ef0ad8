"""A member's own drawn paper as a PDF in the official layout (pingyi.core.documents), and the letters
the options carry on it, which the answer-entry form reads back."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core.documents import Document

from .grading import choice_ids
from .models import CHOICE_KINDS, Answer, AnswerSheet, Kind

LETTERS = "ABCDEFGH"
NUMERALS = "一二三四五六七八九十"


def lettered(answer: Answer) -> list[tuple[str, str, int]]:
    """(letter, text, option id) in the order this member's paper shows the options."""
    question = answer.question
    texts = {o["id"]: o["text"] for o in question.options}
    return [(LETTERS[i], texts.get(oid, ""), oid) for i, oid in enumerate(answer.option_order)]


def entered(answer: Answer) -> str:
    """The response as letters on the member's paper ("AC"), or the text; what the entry form shows back."""
    if answer.question.kind not in CHOICE_KINDS:
        return answer.response
    chosen = choice_ids(answer.response)
    return "".join(letter for letter, _t, oid in lettered(answer) if oid in chosen)


def right_letters(answer: Answer) -> str:
    question = answer.question
    if question.kind in CHOICE_KINDS:
        return "".join(letter for letter, _t, oid in lettered(answer) if oid in question.correct_ids)
    if question.kind == Kind.FILL:
        return " / ".join(question.accepted)
    return question.reference


def paper_pdf(sheet: AnswerSheet, answers: list[Answer]) -> bytes:
    sitting = sheet.sitting
    doc = Document(sitting.paper.title, subtitle=f"{sitting.title}")
    closes = timezone.localtime(sitting.closes_at)
    doc.paragraph(
        _("姓名：%(name)s　　满分：%(total)d 分　　交卷截止：%(closes)s")
        % {"name": sheet.person.name, "total": sheet.max_score, "closes": closes.strftime("%Y-%m-%d %H:%M")},
        indent=False,
    )
    doc.paragraph(
        _("选择题在括号内写选项字母，判断题写“对”或“错”，填空题和简答题写在题后空白处。试卷编号：%(code)s")
        % {"code": f"{sheet.pk}-{sheet.seed % 100000:05d}"},
        indent=False,
        small=True,
    )
    current, sections = "", 0
    for answer in answers:
        kind = str(answer.question.get_kind_display())
        if kind != current:
            doc.heading(f"{NUMERALS[sections % len(NUMERALS)]}、{kind}")
            current, sections = kind, sections + 1
        doc.paragraph(f"{answer.position}．{answer.question.text}（　　）（{answer.max_points}分）", indent=False)
        if answer.question.kind in (Kind.SINGLE, Kind.MULTIPLE):
            doc.paragraph("　".join(f"{letter}．{text}" for letter, text, _id in lettered(answer)), indent=True)
        elif answer.question.kind == Kind.SHORT:
            for _line in range(4):  # room to write
                doc.paragraph("", indent=False)
    return doc.to_pdf()
