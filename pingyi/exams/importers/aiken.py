"""The Aiken format: a question, its options "A. …" one a line, then "ANSWER: B" (ours also takes "ANSWER: A,C"
for a multiple choice); a blank line between questions."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from ..models import Kind
from . import ParsedQuestion, Problem

OPTION = re.compile(r"^([A-Za-zＡ-Ｚ])\s*[.．)）、]\s*(.+)$")
ANSWER = re.compile(r"^ANSWER\s*[:：]\s*(.*)$", re.IGNORECASE)


def parse(text: str) -> tuple[list[ParsedQuestion], list[Problem]]:
    questions: list[ParsedQuestion] = []
    problems: list[Problem] = []
    for start, lines in _blocks(text):
        question, problem = _question(start, lines)
        if problem:
            problems.append(problem)
        elif question:
            questions.append(question)
    return questions, problems


def _blocks(text: str) -> list[tuple[int, list[tuple[int, str]]]]:
    blocks: list[tuple[int, list[tuple[int, str]]]] = []
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line:
            current.append((number, line))
        elif current:
            blocks.append((current[0][0], current))
            current = []
    if current:
        blocks.append((current[0][0], current))
    return blocks


def _question(start: int, lines: list[tuple[int, str]]) -> tuple[ParsedQuestion | None, Problem | None]:
    stem: list[str] = []
    letters: list[str] = []
    options: list[str] = []
    answer: tuple[int, str] | None = None
    for number, line in lines:
        if answer is not None:
            return None, Problem(number, _("ANSWER 行之后还有内容，两道题之间要空一行"))
        found = ANSWER.match(line)
        option = OPTION.match(line)
        if found:
            answer = (number, found.group(1))
        elif option and (options or stem):
            letters.append(_letter(option.group(1)))
            options.append(option.group(2).strip())
        elif options:
            return None, Problem(number, _("选项之间不能夹带其他文字：%(line)s") % {"line": line[:30]})
        else:
            stem.append(line)
    if answer is None:
        return None, Problem(lines[-1][0], _("缺少“ANSWER: 字母”一行"))
    if not options:
        return None, Problem(start, _("没有找到选项（每个选项一行，以“A.”开头）"))
    number, value = answer
    chosen = [_letter(part) for part in re.split(r"[,，、\s]+", value.strip()) if part]
    if len(chosen) == 1 and len(chosen[0]) > 1:
        chosen = list(chosen[0])
    unknown = [c for c in chosen if c not in letters]
    if not chosen or unknown:
        return None, Problem(number, _("答案“%(value)s”不是本题的选项字母") % {"value": value.strip()})
    kind = Kind.MULTIPLE if len(chosen) > 1 else Kind.SINGLE
    return (
        ParsedQuestion(
            line=start,
            kind=kind,
            text="".join(stem),
            options=[(text, letter in chosen) for letter, text in zip(letters, options, strict=True)],
        ),
        None,
    )


def _letter(text: str) -> str:
    return unicodedata.normalize("NFKC", text).upper()
