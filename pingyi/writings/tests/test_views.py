import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from conftest import World, add_member
from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.writings import services
from pingyi.writings.models import Writing, WritingVersion

from .conftest import ALL_COMPARED, submitted, write

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"writings:{name}", kwargs=kwargs)


def test_member_sees_their_pieces_and_a_start_button_not_others(
    world: World, campaign: Campaign, reflection_item: WorkItem
) -> None:
    add_member(world, "李党员", login="li")
    submitted(world, reflection_item, persona="li", title="李的心得")
    page = world.client("member").get(url("campaign", campaign_id=campaign.pk)).content.decode()
    assert f'id="start-{reflection_item.pk}"' in page and "还没有写" in page
    assert "李党员" not in page and "李的心得" not in page
    assert "本阶段尚未开始" in page  # the self-analysis, in stage 2


def test_reviewer_sees_who_has_not_submitted_and_who_awaits_review(
    world: World, campaign: Campaign, reflection_item: WorkItem
) -> None:
    add_member(world, "李党员", login="li")
    add_member(world, "赵党员", login="zhao")
    li = submitted(world, reflection_item, persona="li", title="李的心得")
    write(world, reflection_item, persona="zhao")
    page = world.client("secretary").get(url("campaign", campaign_id=campaign.pk)).content.decode()
    assert "应写 3 人：已通过 0 人，待审阅 1 人，已退回 0 人，未提交 2 人" in page
    assert url("detail", writing_id=li.pk) in page and url("export_docx", campaign_id=campaign.pk) in page
    assert 'data-status="draft"' in page and 'data-status="none"' in page
    committee = world.client("committee").get(url("campaign", campaign_id=campaign.pk)).content.decode()
    assert "李的心得" in committee and url("detail", writing_id=li.pk) not in committee  # state, not the text
    assert url("export_docx", campaign_id=campaign.pk) not in committee


def test_campaign_page_queries_do_not_grow_with_the_branch(
    world: World, campaign: Campaign, reflection_item: WorkItem
) -> None:
    client = world.client("secretary")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("campaign", campaign_id=campaign.pk)).status_code == 200
        return len(captured)

    submitted(world, reflection_item)
    client.get(url("campaign", campaign_id=campaign.pk))  # warm the session
    small = queries()
    for n in range(6):
        add_member(world, f"党员{n}", login=f"m{n}")
        submitted(world, reflection_item, persona=f"m{n}")
    assert queries() == small <= 12


def test_start_opens_the_editor_and_a_double_post_makes_one_draft(
    world: World, campaign: Campaign, reflection_item: WorkItem
) -> None:
    client = world.client("member")
    first = client.post(url("start", campaign_id=campaign.pk), {"work_item": reflection_item.pk})
    second = client.post(url("start", campaign_id=campaign.pk), {"work_item": reflection_item.pk})
    writing = Writing.objects.get()
    assert first["Location"] == second["Location"] == url("edit", writing_id=writing.pk)
    refused = client.post(url("start", campaign_id=campaign.pk), {"work_item": 999999}, follow=True)
    assert "请选择要撰写的工作事项" in refused.content.decode() and Writing.objects.count() == 1


def test_the_editor_is_the_authors_alone(world: World, reflection_item: WorkItem) -> None:
    writing = write(world, reflection_item)
    add_member(world, "李党员", login="li")
    assert world.client("member").get(url("edit", writing_id=writing.pk)).status_code == 200
    assert world.client("li").get(url("edit", writing_id=writing.pk)).status_code == 403
    assert world.client("outsider").get(url("edit", writing_id=writing.pk)).status_code == 404
    assert world.client("secretary").post(url("autosave", writing_id=writing.pk), {"text": "x"}).status_code == 403


def test_autosave_answers_with_the_time_and_ignores_a_stale_save(world: World, reflection_item: WorkItem) -> None:
    writing = write(world, reflection_item)
    client = world.client("member")
    saved = client.post(
        url("autosave", writing_id=writing.pk), {"title": "心得", "text": "新写的", "seq": 20, "client": "tab1"}
    )
    assert saved.status_code == 200 and "已自动保存" in saved.content.decode()
    client.post(
        url("autosave", writing_id=writing.pk), {"title": "心得", "text": "迟到的旧版", "seq": 10, "client": "tab1"}
    )
    writing.refresh_from_db()
    assert writing.text == "新写的"
    services.submit_writing(writing=writing, by=world.users["member"])
    late = client.post(
        url("autosave", writing_id=writing.pk), {"title": "心得", "text": "提交后", "seq": 30, "client": "tab1"}
    )
    assert "不能再修改" in late.content.decode()


def test_submit_with_gaps_shows_the_errors_and_keeps_what_was_typed(world: World, analysis_item: WorkItem) -> None:
    writing = write(world, analysis_item, sections={}, comparisons={})
    data = {"title": "党性分析", "problems": "我查摆的问题写了一半", "causes": "", "measures": ""}
    response = world.client("member").post(url("submit", writing_id=writing.pk), data)
    page = response.content.decode()
    assert response.status_code == 200 and "请填写“产生问题的根源”" in page and "尚未勾选：对照党章和党员标准" in page
    assert "我查摆的问题写了一半" in page
    writing.refresh_from_db()
    assert writing.status == Writing.Status.DRAFT and writing.sections["problems"] == "我查摆的问题写了一半"


def test_submit_then_a_repeat_submit_changes_nothing(world: World, analysis_item: WorkItem) -> None:
    writing = write(world, analysis_item, sections={}, comparisons={})
    data = {"title": "党性分析", "problems": "问题", "causes": "根源", "measures": "措施"}
    data |= {f"cmp_{key}": "on" for key in ALL_COMPARED} | {"cmp_models_note": "对照了孔繁森"}
    client = world.client("member")
    first = client.post(url("submit", writing_id=writing.pk), data)
    again = client.post(url("submit", writing_id=writing.pk), data, follow=True)
    assert first["Location"] == url("detail", writing_id=writing.pk)
    assert "无需重复提交" in again.content.decode() and WritingVersion.objects.count() == 1
    assert WritingVersion.objects.get().comparisons["models"] == {"checked": True, "note": "对照了孔繁森"}


def test_a_bad_upload_says_why_and_keeps_the_draft(world: World, reflection_item: WorkItem) -> None:
    writing = write(world, reflection_item, text="原稿")
    bad = SimpleUploadedFile("心得.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = world.client("member").post(url("upload", writing_id=writing.pk), {"file": bad})
    assert response.status_code == 200 and "只能上传 Word（.docx）或纯文本（.txt）文件" in response.content.decode()
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("从 Word 读入的心得")
    document.save(buffer)
    good = SimpleUploadedFile("心得.docx", buffer.getvalue())
    response = world.client("member").post(url("upload", writing_id=writing.pk), {"file": good}, follow=True)
    assert "已读入“心得.docx”的文字" in response.content.decode() and "从 Word 读入的心得" in response.content.decode()


def test_review_page_shows_the_report_and_buttons_to_reviewers_only(world: World, reflection_item: WorkItem) -> None:
    writing = submitted(world, reflection_item, text="正文")
    reviewer = world.client("secretary").get(url("detail", writing_id=writing.pk)).content.decode()
    assert 'id="review-form"' in reviewer and 'id="originality-report"' in reviewer and 'id="writing-text"' in reviewer
    author = world.client("member").get(url("detail", writing_id=writing.pk)).content.decode()
    assert 'id="review-form"' not in author and "正文" in author


def test_return_needs_a_comment_and_the_author_then_sees_it(world: World, reflection_item: WorkItem) -> None:
    writing = submitted(world, reflection_item)
    client = world.client("secretary")
    empty = client.post(url("return", writing_id=writing.pk), {"version": 1, "comment": ""}, follow=True)
    assert "退回时请写明修改意见" in empty.content.decode()
    writing.refresh_from_db()
    assert writing.status == Writing.Status.SUBMITTED
    client.post(url("return", writing_id=writing.pk), {"version": 1, "comment": "请联系<本职>工作"})
    writing.refresh_from_db()
    assert writing.status == Writing.Status.RETURNED
    editor = world.client("member").get(url("edit", writing_id=writing.pk)).content.decode()
    assert "请联系&lt;本职&gt;工作" in editor and "第1稿已退回" in editor


def test_the_diff_between_versions_is_escaped(world: World, reflection_item: WorkItem) -> None:
    writing = submitted(world, reflection_item, text="第一稿<b>粗</b>")
    services.return_writing(writing=writing, by=world.users["secretary"], version_number=1, comment="改")
    services.save_draft(writing=writing, by=world.users["member"], title="心得", text="第二稿<script>x</script>")
    services.submit_writing(writing=writing, by=world.users["member"])
    response = world.client("supervisor").get(
        url("diff", writing_id=writing.pk), {"a": 1, "b": 2}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<del" in page and "<ins" in page and "&lt;" in page and "<script" not in page
    assert "<html" not in page  # htmx gets the partial
    detail = world.client("supervisor").get(url("detail", writing_id=writing.pk)).content.decode()
    assert 'id="diff-result"' in detail and "<ins" in detail and "<script>x" not in detail
    first = world.client("supervisor").get(url("detail", writing_id=writing.pk), {"v": 1}).content.decode()
    assert "第一稿&lt;b&gt;粗&lt;/b&gt;" in first and "正在查看第1稿" in first
    wrong = world.client("supervisor").get(url("diff", writing_id=writing.pk), {"a": 1, "b": 9})
    assert "请选择两个已提交的稿次" in wrong.content.decode()


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "start"),
        ("get", "submit"),
        ("get", "autosave"),
        ("get", "return"),
        ("get", "accept"),
        ("post", "detail"),
    ],
)
def test_wrong_method(world: World, reflection_item: WorkItem, campaign: Campaign, method: str, name: str) -> None:
    writing = submitted(world, reflection_item)
    kwargs = {"campaign_id": campaign.pk} if name == "start" else {"writing_id": writing.pk}
    client = world.client("member" if name != "return" and name != "accept" else "secretary")
    assert getattr(client, method)(url(name, **kwargs)).status_code == 405


def test_exports_download_word_zip_and_excel(world: World, campaign: Campaign, reflection_item: WorkItem) -> None:
    writing = submitted(world, reflection_item, title="学习党章的体会")
    client = world.client("supervisor")
    nothing = client.get(url("export_docx", campaign_id=campaign.pk), follow=True)
    assert "还没有审阅通过的文稿" in nothing.content.decode()
    services.accept_writing(writing=writing, by=world.users["secretary"], version_number=1)
    docx = client.get(url("export_docx", campaign_id=campaign.pk), {"item": reflection_item.pk})
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    assert "filename*=UTF-8''" in docx["Content-Disposition"]
    assert "王党员：学习党章的体会" in [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert client.get(url("export_zip", campaign_id=campaign.pk))["Content-Type"] == "application/zip"
    assert client.get(url("export_xlsx", campaign_id=campaign.pk))["Content-Type"].endswith("spreadsheetml.sheet")
    other = client.get(url("export_docx", campaign_id=campaign.pk), {"item": 999999})
    assert other.status_code == 404


def test_home_cards_name_returned_pieces_and_pieces_awaiting_review(
    world: World, analysis_item: WorkItem, reflection_item: WorkItem
) -> None:
    add_member(world, "张局长", login="leader", leader=True)
    leader = submitted(world, analysis_item, persona="leader")
    mine = submitted(world, reflection_item, title="我的心得")
    services.return_writing(writing=mine, by=world.users["secretary"], version_number=1, comment="改")
    member_home = world.client("member").get("/").content.decode()
    assert "《我的心得》已退回" in member_home and url("edit", writing_id=mine.pk) in member_home
    secretary_home = world.client("secretary").get("/").content.decode()
    assert "1 份文稿等待你审阅" in secretary_home
    supervisor_home = world.client("supervisor").get("/").content.decode()
    assert "1 份文稿等待你审阅" in supervisor_home  # the leader's self-analysis
    services.accept_writing(writing=leader, by=world.users["secretary"], version_number=1)
    assert "等待你审阅" not in world.client("secretary").get("/").content.decode()
    detail = url("detail", writing_id=leader.pk)
    assert 'id="review-form"' not in world.client("secretary").get(detail).content.decode()  # the branch has done
    assert 'id="review-form"' in world.client("supervisor").get(detail).content.decode()
    assert "1 份文稿等待你审阅" in world.client("supervisor").get("/").content.decode()
    services.accept_writing(writing=leader, by=world.users["supervisor"], version_number=1)
    assert "等待你审阅" not in world.client("supervisor").get("/").content.decode()
