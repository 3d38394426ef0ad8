"""The GIFT format (Moodle's), the parts a party test uses:

    $CATEGORY: 党章                      the tag of the questions that follow
    ::标题:: 题干 {=对的 ~错的 ~错的}        single choice
    题干 {~%50%甲 ~%50%乙 ~%-100%丙}       multiple choice (options with a positive weight are right)
    题干 {T}  /  {FALSE}                   true/false
    党的最高理想是实现{=共产主义 =共产主义社会}。   fill in the blank (several accepted answers)
    题干 {####参考答案}                     short answer, graded by hand against the reference

Questions are separated by a blank line; lines starting with // are comments; \\= \\~ \\# \\{ \\} \\: escape.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from ..models import Kind
from . import ParsedQuestion, Problem, true_false_options

ESCAPES = {"\\=": "\ue000", "\\~": "\ue001", "\\#": "\ue002", "\\{": "\ue003", "\\}": "\ue004", "\\:": "\ue005"}
TITLE = re.compile(r"^::.*?::")
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
BLANK = "＿＿＿＿"


def _escape(text: str) -> str:
    for raw, mark in ESCAPES.items():
        text = text.replace(raw, mark)
    return text


def _unescape(text: str) -> str:
    for raw, mark in ESCAPES.items():
        text = text.replace(mark, raw[1])
    return text.strip()


def parse(text: str) -> tuple[list[ParsedQuestion], list[Problem]]:
    questions: list[ParsedQuestion] = []
    problems: list[Problem] = []
    tag = ""
    block: list[tuple[int, str]] = []

    def flush() -> None:
        if block:
            question, problem = _question(block, tag)
            if problem:
                problems.append(problem)
            elif question:
                questions.append(question)
            block.clear()

    for number, raw in enumerate(_escape(text).splitlines(), start=1):
        line = raw.strip()
        if line.startswith("//"):
            continue
        if line.startswith("$CATEGORY:"):
            flush()
            parts = [p.strip() for p in line.split(":", 1)[1].split("/") if p.strip() and not p.strip().startswith("$")]
            tag = _unescape(parts[-1]) if parts else ""
            continue
        if not line:
            flush()
            continue
        block.append((number, line))
    flush()
    return questions, problems


def _question(block: list[tuple[int, str]], tag: str) -> tuple[ParsedQuestion | None, Problem | None]:
    start = block[0][0]
    body = TITLE.sub("", "\n".join(line for _n, line in block)).strip()
    opened, closed = body.count("{"), body.count("}")
    if opened != 1 or closed != 1 or body.index("{") > body.index("}"):
        return None, Problem(start, _("每道题要有且只有一对 { } 写答案"))
    before, rest = body.split("{", 1)
    inside, after = rest.split("}", 1)
    before, after = _unescape(before.replace("\n", " ")), _unescape(after.replace("\n", " "))
    stem = f"{before}{BLANK}{after}" if after else before
    inside = inside.strip()
    tags = [tag] if tag else []
    if "->" in inside or (inside.startswith("#") and not inside.startswith("####")):
        return None, Problem(start, _("不支持配对题和数值题"))
    answers, _sep, feedback = inside.partition("####")
    answers = answers.strip()
    if not answers:
        return ParsedQuestion(line=start, kind=Kind.SHORT, text=stem, reference=_unescape(feedback), tags=tags), None
    word = answers.split("#", 1)[0].strip().upper()
    if word in ("T", "TRUE", "F", "FALSE"):
        tf = true_false_options(word.startswith("T"))
        return ParsedQuestion(line=start, kind=Kind.TRUE_FALSE, text=stem, options=tf, tags=tags), None
    tokens = re.findall(r"([=~])([^=~]*)", answers)
    if not tokens or answers[0] not in "=~":
        return None, Problem(start, _("答案要以 = 或 ~ 开头"))
    if all(mark == "=" for mark, _t in tokens):
        accepted = [_unescape(WEIGHT.sub("", t.split("#", 1)[0].strip())) for _m, t in tokens]
        return ParsedQuestion(line=start, kind=Kind.FILL, text=stem, accepted=accepted, tags=tags), None
    options: list[tuple[str, bool]] = []
    weighted = False
    for mark, token in tokens:
        token = token.split("#", 1)[0].strip()
        weight = WEIGHT.match(token)
        if weight:
            weighted = True
            token = token[weight.end() :]
        correct = mark == "=" or bool(weight and float(weight.group(1)) > 0)
        options.append((_unescape(token), correct))
    kind = Kind.MULTIPLE if weighted or sum(ok for _t, ok in options) > 1 else Kind.SINGLE
    return ParsedQuestion(line=start, kind=kind, text=stem, options=options, tags=tags), None
