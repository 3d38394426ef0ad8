"""Reading questions from an .xlsx template, Aiken or GIFT text: every problem named by its line, and
nothing returned for import while any problem is left (services.import_questions writes them in one go).

Each reader yields ParsedQuestion rows with the line (or spreadsheet row) they start on; `check` applies
the rules every format shares, and finds a question repeated in the file or already in the bank.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..grading import normalise
from ..models import Kind

MAX_TEXT = 1000
MAX_OPTIONS = 8
FORMATS = ("xlsx", "aiken", "gift")


@dataclass
class ParsedQuestion:
    line: int
    kind: str
    text: str
    options: list[tuple[str, bool]] = field(default_factory=list)  # (text, correct)
    accepted: list[str] = field(default_factory=list)
    reference: str = ""
    tags: list[str] = field(default_factory=list)
    difficulty: int = 2

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.kind, self.text)


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("第 %(line)d 行：%(reason)s") % {"line": self.line, "reason": self.reason}


class Problems(ValidationError):
    """A refused import: each message names a line and what is wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__([str(p) for p in self.problems])


def fingerprint(kind: str, text: str) -> str:
    """Two questions are the same when their kind and their wording (spacing and width aside) are."""
    return hashlib.sha256(f"{kind}\n{normalise(text)}".encode()).hexdigest()


def true_false_options(is_true: bool) -> list[tuple[str, bool]]:
    return [(_("正确"), is_true), (_("错误"), not is_true)]


def check(questions: Iterable[ParsedQuestion], existing: set[str]) -> list[Problem]:
    """The rules every format shares; `existing`: fingerprints of the bank's questions."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for q in questions:
        problems += [Problem(q.line, reason) for reason in _reasons(q)]
        if not q.text.strip():
            continue
        key = q.fingerprint
        if key in existing:
            problems.append(Problem(q.line, _("题库中已有这道题（重复）")))
        elif key in seen:
            problems.append(Problem(q.line, _("与第 %(line)d 行的题目重复") % {"line": seen[key]}))
        else:
            seen[key] = q.line
    return problems


def _reasons(q: ParsedQuestion) -> list[str]:
    if not q.text.strip():
        return [_("题干是空的")]
    if len(q.text) > MAX_TEXT:
        return [_("题干超过 %(n)d 字") % {"n": MAX_TEXT}]
    correct = sum(1 for _text, ok in q.options if ok)
    if q.kind in (Kind.SINGLE, Kind.MULTIPLE):
        if len(q.options) < 2:
            return [_("选择题至少要有两个选项")]
        if len(q.options) > MAX_OPTIONS:
            return [_("选项不能超过 %(n)d 个") % {"n": MAX_OPTIONS}]
        if any(not text.strip() for text, _ok in q.options):
            return [_("有空白的选项")]
        if correct == 0:
            return [_("没有标出正确答案")]
        if q.kind == Kind.SINGLE and correct > 1:
            return [_("单选题只能有一个正确答案")]
    if q.kind == Kind.FILL and not [a for a in q.accepted if a.strip()]:
        return [_("填空题没有给出答案")]
    return []
