"""Importing questions: every bad row or block named by its line and reason, nothing imported until clean."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from conftest import World
from pingyi.core.spreadsheets import Column, Sheet
from pingyi.exams import services
from pingyi.exams.importers import Problems, aiken, gift, xlsx
from pingyi.exams.models import Kind, Question

pytestmark = pytest.mark.django_db

AIKEN = """党的组织原则是（　）。
A. 民主集中制
B. 集体领导
ANSWER: A

民主集中制包括（　）。
A) 少数服从多数
B) 个人服从组织
C) 上级服从下级
ANSWER: A,B
"""


def test_aiken_reads_single_and_multiple_choice() -> None:
    questions, problems = aiken.parse(AIKEN)
    assert problems == []
    assert [(q.line, q.kind) for q in questions] == [(1, Kind.SINGLE), (6, Kind.MULTIPLE)]
    assert questions[1].options == [("少数服从多数", True), ("个人服从组织", True), ("上级服从下级", False)]


def test_aiken_names_each_bad_block_by_its_line() -> None:
    text = "题一\nA. 甲\nB. 乙\nANSWER: C\n\n题二\nA. 甲\nB. 乙\n\n题三\nANSWER: A\n"
    _questions, problems = aiken.parse(text)
    assert [(p.line, p.reason) for p in problems] == [
        (4, "答案“C”不是本题的选项字母"),
        (8, "缺少“ANSWER: 字母”一行"),
        (10, "没有找到选项（每个选项一行，以“A.”开头）"),
    ]


def test_gift_reads_every_kind_it_supports() -> None:
    text = """$CATEGORY: $course$/党章
::一:: 党的宗旨是全心全意为人民服务。{TRUE}

党的组织原则是（　）。{=民主集中制 ~集体领导}

处分包括（　）。{~%50%警告 ~%50%开除党籍 ~%-100%罚款}

党的最高理想是实现{=共产主义 =共产主义社会}。

请简述四个服从。{####个人服从组织……}
"""
    questions, problems = gift.parse(text)
    assert problems == []
    assert [q.kind for q in questions] == [Kind.TRUE_FALSE, Kind.SINGLE, Kind.MULTIPLE, Kind.FILL, Kind.SHORT]
    assert all(q.tags == ["党章"] for q in questions)
    assert questions[2].options == [("警告", True), ("开除党籍", True), ("罚款", False)]
    assert questions[3].text == "党的最高理想是实现＿＿＿＿。" and questions[3].accepted == ["共产主义", "共产主义社会"]
    assert questions[4].reference == "个人服从组织……"


def test_gift_names_bad_blocks_by_line() -> None:
    text = "没有答案的题\n\n// 注释\n两对括号{T}{F}\n\n数值题{#5}\n\n答案开头不对{对的}\n"
    _questions, problems = gift.parse(text)
    assert [p.line for p in problems] == [1, 4, 6, 8]
    assert "不支持" in problems[2].reason


def _workbook(rows: list[list[str]]) -> bytes:
    sheet = Sheet("试题", title="试题导入", columns=[Column(h) for h in xlsx.HEADERS])
    for row in rows:
        sheet.row(row)
    return sheet.to_bytes()


def test_the_downloadable_template_imports_as_it_is() -> None:
    questions, problems = xlsx.parse(xlsx.template())
    assert problems == []
    assert [q.kind for q in questions] == [Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE, Kind.FILL, Kind.SHORT]
    assert questions[0].line == 3  # the title row and the header row come first
    assert questions[3].accepted == ["答案一", "答案二"]
    headers = [c.value for c in next(load_workbook(io.BytesIO(xlsx.template())).active.iter_rows(min_row=2))]
    assert headers[:2] == ["题型", "题干"]


def test_xlsx_rows_with_problems_are_named_by_their_row() -> None:
    blank = [""] * 6
    data = _workbook(
        [
            ["单选", "题一", "甲", "乙", *blank[:4], "C", "", "", ""],
            ["问答", "题二", *blank, "", "", "", ""],
            ["判断", "题三", *blank, "也许", "", "", ""],
            ["单选", "题四", "甲", "乙", *blank[:4], "AB", "", "", ""],
            ["填空", "题五", *blank, "", "", "", ""],
            ["单选", "题六", "甲", "乙", *blank[:4], "A", "", "很难", ""],
        ]
    )
    questions, problems = xlsx.parse(data)
    found = [(p.line, p.reason) for p in problems]
    assert found == [
        (3, "答案“C”不是本题的选项字母"),
        (4, "题型“问答”不认识，应为单选、多选、判断、填空或简答"),
        (5, "判断题的答案应为“对”或“错”"),
        (8, "难度应为容易、中等或较难"),
    ]
    # the rest pass the reader but not the shared rules
    assert [p.line for p in services.banks.check(questions, set())] == [6, 7]


def test_nothing_is_imported_while_any_line_is_bad(world: World) -> None:
    bank = services.create_bank(org=world.orgs["branch"], name="题库", by=None)
    text = AIKEN + "\n坏题\nA. 甲\nANSWER: B\n"
    with pytest.raises(Problems) as refused:
        services.import_questions(bank=bank, data=text.encode(), filename="q.txt", by=None)
    assert [str(p) for p in refused.value.problems] == ["第 14 行：答案“B”不是本题的选项字母"]
    assert Question.objects.count() == 0
    services.import_questions(bank=bank, data=AIKEN.encode(), filename="q.txt", by=None)
    assert Question.objects.count() == 2


def test_duplicates_in_the_file_and_in_the_bank_are_named(world: World) -> None:
    bank = services.create_bank(org=world.orgs["branch"], name="题库", by=None)
    services.import_questions(bank=bank, data=b"A{T}\n", filename="a.gift", by=None)
    text = "Ａ {T}\n\nB{F}\n\nB {F}\n"  # the first is the bank's question in full width with a space
    with pytest.raises(Problems) as refused:
        services.import_questions(bank=bank, data=text.encode(), filename="b.gift", by=None)
    assert [str(p) for p in refused.value.problems] == [
        "第 1 行：题库中已有这道题（重复）",
        "第 5 行：与第 3 行的题目重复",
    ]


def test_gbk_text_files_are_read(world: World) -> None:
    bank = services.create_bank(org=world.orgs["branch"], name="题库", by=None)
    services.import_questions(bank=bank, data=AIKEN.encode("gbk"), filename="q.txt", by=None)
    assert Question.objects.filter(bank=bank).count() == 2


def test_the_command_imports_and_names_problems(world: World, tmp_path: object) -> None:
    good = tmp_path / "good.gift"  # type: ignore[operator]
    good.write_text("党的宗旨是全心全意为人民服务。{T}\n", encoding="utf-8")
    call_command("import_questions", str(good), "--bank", "命令题库", "--org", "BRANCH")
    assert Question.objects.filter(bank__name="命令题库").count() == 1
    bad = tmp_path / "bad.gift"  # type: ignore[operator]
    bad.write_text("党的宗旨是全心全意为人民服务。{T}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_questions", str(bad), "--bank", "命令题库")


def test_a_file_that_is_no_workbook_is_named_as_such() -> None:
    assert [(p.line, p.reason) for p in xlsx.parse(b"PK\x03\x04 not really")[1]] == [
        (1, "文件不是有效的 .xlsx 表格，或解压后太大")
    ]
