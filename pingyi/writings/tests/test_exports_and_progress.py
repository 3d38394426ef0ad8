import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from conftest import World, add_member
from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.campaigns.progress import PeopleIndex, item_progress
from pingyi.writings import exports, selectors, services
from pingyi.writings.diff import diff_texts

from .conftest import submitted, write

pytestmark = pytest.mark.django_db


def accept(world: World, writing: object) -> None:
    services.accept_writing(writing=writing, by=world.users["secretary"], version_number=None)


def test_progress_counts_accepted_pieces_only(world: World, campaign: Campaign, reflection_item: WorkItem) -> None:
    add_member(world, "李党员", login="li")
    add_member(world, "赵党员", login="zhao")
    accept(world, submitted(world, reflection_item))
    submitted(world, reflection_item, persona="li")  # awaiting review: not done
    progress = item_progress(reflection_item, campaign.org, PeopleIndex([campaign.org]))
    assert progress.tracked and progress.done_ids == {world.people["member"].pk}
    assert {r.name for r in progress.missing} == {"李党员", "赵党员"}
    assert progress.url == f"/writings/campaigns/{campaign.pk}/"


def test_min_count_asks_for_several_accepted_reflections(
    world: World, campaign: Campaign, reflection_item: WorkItem
) -> None:
    reflection_item.params = {"min_count": 2}
    reflection_item.save()
    accept(world, submitted(world, reflection_item, text="第一篇"))
    index = PeopleIndex([campaign.org])
    assert item_progress(reflection_item, campaign.org, index).done == 0
    accept(world, submitted(world, reflection_item, text="第二篇"))
    assert item_progress(reflection_item, campaign.org, index).done == 1


def test_collection_docx_has_a_table_of_contents_and_every_accepted_piece(
    world: World, campaign: Campaign, reflection_item: WorkItem
) -> None:
    add_member(world, "李党员", login="li")
    accept(world, submitted(world, reflection_item, title="学习党章的体会", text="第一段。\n第二段。"))
    accept(world, submitted(world, reflection_item, persona="li", title="联系本职工作", text="李的心得。"))
    submitted(world, reflection_item, text="还没审阅的不导出。")
    writings = list(selectors.accepted_writings(campaign, reflection_item))
    document = Document(io.BytesIO(exports.collection_docx(campaign.org, "局机关党支部学习心得汇编", writings)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "局机关党支部学习心得汇编"
    assert sum('TOC \\o "1-1"' in p._p.xml for p in document.paragraphs) == 1
    # One list: each piece once in the table of contents, with the page it starts on (the TOC has page 1).
    entries = [t for t in texts if "\t" in t]
    assert sorted(entries) == ["李党员：联系本职工作\t3", "王党员：学习党章的体会\t2"] or sorted(entries) == [
        "李党员：联系本职工作\t2",
        "王党员：学习党章的体会\t3",
    ]
    assert "王党员：学习党章的体会" in texts and "李党员：联系本职工作" in texts
    assert not any("更新域" in t for t in texts)
    assert "第一段。" in texts and "第二段。" in texts and "李的心得。" in texts
    assert "还没审阅的不导出。" not in texts


def test_zip_holds_one_docx_per_piece(world: World, campaign: Campaign, analysis_item: WorkItem) -> None:
    add_member(world, "李党员", login="li")
    accept(world, submitted(world, analysis_item, title="党性分析"))
    accept(world, submitted(world, analysis_item, persona="li", title="我的/党性 分析"))
    archive = zipfile.ZipFile(io.BytesIO(exports.zip_of_docx(selectors.accepted_writings(campaign))))
    names = sorted(archive.namelist())
    assert len(names) == 2 and all(n.endswith(".docx") and "/" not in n for n in names)
    assert any(n.startswith("李党员-我的_党性_分析-") for n in names)
    document = Document(io.BytesIO(archive.read(names[0])))
    texts = [p.text for p in document.paragraphs]
    assert "一、查摆的问题" in texts and "四、四个对照" in texts
    assert document.tables[0].rows[1].cells[0].text == "对照党章和党员标准"


def _tally_rows(world: World, campaign: Campaign, item: WorkItem | None = None) -> list[tuple[Any, ...]]:
    data = exports.tally_xlsx("统计", selectors.tally(campaign, world.users["secretary"], item))
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_tally_xlsx_lists_everyone_asked_to_write_with_people_and_pieces_counted_apart(
    world: World, campaign: Campaign, reflection_item: WorkItem
) -> None:
    add_member(world, "李党员", login="li")
    add_member(world, "赵党员", login="zhao")
    add_member(world, "钱党员", login="qian")
    accept(world, submitted(world, reflection_item, text="一二三四五，六七八。"))
    submitted(world, reflection_item, text="第二篇，等待审阅。")  # 王党员 wrote twice: one person, two pieces
    submitted(world, reflection_item, persona="li", text="李的心得")
    write(world, reflection_item, persona="zhao", text="草稿不计")
    rows = _tally_rows(world, campaign)
    assert rows[0][0] == "统计" and rows[1][:4] == ("序号", "姓名", "所在组织", "工作事项")
    body = rows[2:-1]
    wang = [r for r in body if r[1] == "王党员"]
    assert [(r[6], r[7]) for r in wang] == [(8, "已通过"), (7, "待审阅")] and wang[0][9] is not None
    assert wang[0][0] == wang[1][0]  # the number counts people, not pieces
    assert wang[0][2] == "局机关党支部"
    by_name = {r[1]: r for r in body}
    assert (by_name["李党员"][6], by_name["李党员"][7], by_name["李党员"][9]) == (4, "待审阅", None)
    assert by_name["赵党员"][7] == "草稿未提交" and by_name["钱党员"][7] == "未提交"
    assert by_name["钱党员"][4] is None and by_name["钱党员"][6] is None
    assert {r[1] for r in body} == {"王党员", "李党员", "赵党员", "钱党员"}
    totals = rows[-1]
    assert totals[0] == "合计"
    assert totals[1] == "应写 4 人：已通过 1 人，待审阅 1 人，已退回 0 人，未提交 2 人"
    assert totals[4] == "已提交 3 篇，其中已通过 1 篇" and totals[6] == 19


def test_tally_and_campaign_page_count_people_alike(
    world: World, campaign: Campaign, reflection_item: WorkItem
) -> None:
    add_member(world, "李党员", login="li")
    accept(world, submitted(world, reflection_item, text="第一篇"))
    submitted(world, reflection_item, text="第二篇")
    totals = _tally_rows(world, campaign, reflection_item)[-1][1]
    page = world.client("secretary").get(reverse("writings:campaign", kwargs={"campaign_id": campaign.pk}))
    assert totals.replace("应写", "").split("：")[1] in page.content.decode()


def test_diff_is_by_character() -> None:
    diff = diff_texts("我们要认真学习党章。\n第二段不变。", "我们要深入学习党章。\n第二段不变。")
    assert [(s.op, s.text) for s in diff.segments] == [
        ("equal", "我们要"),
        ("delete", "认真"),
        ("insert", "深入"),
        ("equal", "学习党章。\n第二段不变。"),
    ]
    assert diff.inserted == 2 and diff.deleted == 2 and diff.changed
    assert not diff_texts("同样", "同样").changed


def test_tally_xlsx_keeps_a_formula_like_title_as_text(
    world: World, campaign: Campaign, reflection_item: WorkItem
) -> None:
    submitted(world, reflection_item, title='=HYPERLINK("http://evil.example","点我")', text="正文。")
    data = exports.tally_xlsx("统计", selectors.tally(campaign, world.users["secretary"]))
    sheet = load_workbook(io.BytesIO(data)).active
    title = sheet.cell(3, 5)
    assert (title.value, title.data_type, title.quotePrefix) == ('=HYPERLINK("http://evil.example","点我")', "s", True)
    assert sheet.cell(3, 9).is_date  # the submission time is a date, not text
    assert sheet.print_title_rows == "$1:$2" and sheet.page_setup.fitToWidth == 1 and sheet.freeze_panes == "A3"
