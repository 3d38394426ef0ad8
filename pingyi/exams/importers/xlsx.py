"""The .xlsx template: one question a row under a header row (题型, 题干, 选项A…选项F, 答案, 标签, 难度, 参考答案).

答案: the letters of the right options ("B", "ACD"); 对/错 for true/false; for a fill-in, the accepted answers
separated by "|"; empty for a short answer, whose 参考答案 is what the grader reads. 标签: separated by "，" or ",".
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _

from pingyi.core.spreadsheets import Column, Sheet
from pingyi.org.roster.reading import Limits, RosterFileError, read_cells

from ..models import Difficulty, Kind
from . import ParsedQuestion, Problem, true_false_options

LETTERS = "ABCDEF"
HEADERS = ["题型", "题干", *[f"选项{letter}" for letter in LETTERS], "答案", "标签", "难度", "参考答案"]
KINDS = {
    "单选": Kind.SINGLE,
    "单选题": Kind.SINGLE,
    "单项选择题": Kind.SINGLE,
    "多选": Kind.MULTIPLE,
    "多选题": Kind.MULTIPLE,
    "多项选择题": Kind.MULTIPLE,
    "判断": Kind.TRUE_FALSE,
    "判断题": Kind.TRUE_FALSE,
    "填空": Kind.FILL,
    "填空题": Kind.FILL,
    "简答": Kind.SHORT,
    "简答题": Kind.SHORT,
}
TRUE_WORDS = {"对", "正确", "是", "√", "T", "TRUE", "Y"}
FALSE_WORDS = {"错", "错误", "否", "×", "X", "F", "FALSE", "N"}
DIFFICULTIES = {"容易": Difficulty.EASY, "中等": Difficulty.MEDIUM, "较难": Difficulty.HARD, "难": Difficulty.HARD}
MAX_ROWS = 5000


def template() -> bytes:
    sheet = Sheet(_("试题"), title=_("试题导入模板"), columns=[Column(h, wrap=h == "题干") for h in HEADERS])
    sheet.row(
        [
            "单选",
            "党的最高理想和最终目标是（ ）。",
            "实现共产主义",
            "全面建成小康社会",
            "",
            "",
            "",
            "",
            "A",
            "党章",
            "容易",
            "",
        ]
    )
    sheet.row(["多选", "示例：下列哪些是……（ ）。", "甲", "乙", "丙", "", "", "", "AC", "党章", "中等", ""])
    sheet.row(["判断", "示例：……。", "", "", "", "", "", "", "对", "纪律", "", ""])
    sheet.row(["填空", "示例：……是____。", "", "", "", "", "", "", "答案一|答案二", "理论", "", ""])
    sheet.row(["简答", "示例：请简述……。", "", "", "", "", "", "", "", "党章", "较难", "参考答案要点……"])
    return sheet.to_bytes()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse(data: bytes) -> tuple[list[ParsedQuestion], list[Problem]]:
    """Read through the roster's bounded reader: a small file that expands to gigabytes is refused unread."""
    try:
        sheet = read_cells(data, Limits(rows=MAX_ROWS + 10, columns=len(HEADERS) + 4))
    except RosterFileError:
        return [], [Problem(1, _("文件不是有效的 .xlsx 表格，或解压后太大"))]
    numbered = sorted(sheet.rows.items())
    header_at, columns = 0, {}
    for number, row in numbered[:5]:
        names = [_text(v) for v in row]
        if "题型" in names and "题干" in names:
            header_at, columns = number, {name: i for i, name in enumerate(names) if name}
            break
    if not header_at:
        return [], [Problem(1, _("前 5 行里没有找到“题型”“题干”表头，请使用下载的模板"))]
    questions: list[ParsedQuestion] = []
    problems: list[Problem] = []
    for number, row in numbered:
        if number <= header_at:
            continue
        if number - header_at > MAX_ROWS:
            problems.append(Problem(number, _("一次最多导入 %(n)d 道题") % {"n": MAX_ROWS}))
            break
        cells = {name: _text(row[i]) if i < len(row) else "" for name, i in columns.items()}
        if not any(cells.values()):
            continue
        question, problem = _question(number, cells)
        if problem:
            problems.append(problem)
        elif question:
            questions.append(question)
    return questions, problems


def _question(number: int, cells: dict[str, str]) -> tuple[ParsedQuestion | None, Problem | None]:
    kind = KINDS.get(cells.get("题型", "").replace(" ", ""))
    if kind is None:
        reason = _("题型“%(kind)s”不认识，应为单选、多选、判断、填空或简答") % {"kind": cells.get("题型", "")}
        return None, Problem(number, reason)
    answer = unicodedata.normalize("NFKC", cells.get("答案", "")).strip()
    tags = [t.strip() for t in re.split(r"[,，、;；]", cells.get("标签", "")) if t.strip()]
    difficulty = DIFFICULTIES.get(cells.get("难度", ""), Difficulty.MEDIUM)
    if cells.get("难度") and cells["难度"] not in DIFFICULTIES:
        return None, Problem(number, _("难度应为容易、中等或较难"))
    question = ParsedQuestion(
        line=number,
        kind=kind,
        text=cells.get("题干", ""),
        tags=tags,
        difficulty=difficulty,
        reference=cells.get("参考答案", ""),
    )
    if kind == Kind.TRUE_FALSE:
        word = answer.upper()
        if word not in TRUE_WORDS | FALSE_WORDS:
            return None, Problem(number, _("判断题的答案应为“对”或“错”"))
        question.options = true_false_options(word in TRUE_WORDS)
    elif kind in (Kind.SINGLE, Kind.MULTIPLE):
        present = [(letter, cells.get(f"选项{letter}", "")) for letter in LETTERS]
        while present and not present[-1][1]:
            present.pop()
        letters = set(re.sub(r"[\s,，、]", "", answer.upper()))
        unknown = sorted(letters - {letter for letter, _t in present})
        if not letters or unknown:
            return None, Problem(number, _("答案“%(answer)s”不是本题的选项字母") % {"answer": answer})
        question.options = [(text, letter in letters) for letter, text in present]
    elif kind == Kind.FILL:
        question.accepted = [a.strip() for a in re.split(r"[|｜]", cells.get("答案", "")) if a.strip()]
    return question, None
