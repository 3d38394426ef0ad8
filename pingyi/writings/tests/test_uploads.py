import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from conftest import World
from pingyi.campaigns.models import WorkItem
from pingyi.core.models import AuditEntry
from pingyi.writings import services
from pingyi.writings.models import Writing
from pingyi.writings.text import MAX_UPLOAD_BYTES

from .conftest import write

pytestmark = pytest.mark.django_db


def docx_bytes(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(world: World, writing: Writing, filename: str, data: bytes) -> services.Filled:
    return services.fill_from_file(writing=writing, by=world.users["member"], filename=filename, data=data)


def test_a_docx_fills_the_draft_and_its_name_goes_with_the_version(world: World, reflection_item: WorkItem) -> None:
    writing = write(world, reflection_item, text="旧草稿")
    upload(world, writing, "C:\\Users\\王\\学习心得.docx", docx_bytes("学习党章的体会", "", "一要学，二要做。"))
    writing.refresh_from_db()
    assert writing.text == "学习党章的体会\n\n一要学，二要做。" and writing.filename == "学习心得.docx"
    version = services.submit_writing(writing=writing, by=world.users["member"]).version
    assert version.filename == "学习心得.docx"
    assert AuditEntry.objects.filter(action="writing.upload", data__filename="学习心得.docx").exists()


def test_a_txt_in_utf8_or_gb18030_is_read(world: World, reflection_item: WorkItem) -> None:
    writing = write(world, reflection_item)
    upload(world, writing, "a.txt", "\ufeff用记事本写的心得。\r\n第二行".encode())
    writing.refresh_from_db()
    assert writing.text == "用记事本写的心得。\n第二行"
    upload(world, writing, "b.TXT", "国标编码的心得".encode("gb18030"))
    writing.refresh_from_db()
    assert writing.text == "国标编码的心得"


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("心得.doc", b"\xd0\xcf\x11\xe0", "旧版 Word"),
        ("心得.pdf", b"%PDF-1.4", "只能上传 Word（.docx）或纯文本（.txt）文件"),
        ("心得.docx", b"not a zip at all", "无法读取这个 .docx 文件"),
        ("心得.txt", b"   \n  ", "文件里没有文字"),
        ("心得.txt", b"x" * (MAX_UPLOAD_BYTES + 1), "文件太大"),
    ],
)
def test_bad_files_are_refused_in_chinese_and_the_draft_is_kept(
    world: World, reflection_item: WorkItem, filename: str, data: bytes, message: str
) -> None:
    writing = write(world, reflection_item, text="我的草稿，不能丢。")
    with pytest.raises(ValidationError, match=message):
        upload(world, writing, filename, data)
    writing.refresh_from_db()
    assert writing.text == "我的草稿，不能丢。" and writing.filename == ""
    assert not AuditEntry.objects.filter(action="writing.upload").exists()


def test_a_self_analysis_upload_is_divided_by_its_headings(world: World, analysis_item: WorkItem) -> None:
    writing = write(world, analysis_item)
    found = upload(
        world,
        writing,
        "党性分析.docx",
        docx_bytes(
            "一、查摆的问题", "学习不深。", "二、产生问题的根源", "放松要求。", "三、整改方向和措施：", "制定计划。"
        ),
    )
    writing.refresh_from_db()
    assert found.headings_found
    assert writing.sections == {"problems": "学习不深。", "causes": "放松要求。", "measures": "制定计划。"}
    assert writing.comparisons["constitution"]["checked"]  # the ticks already made survive the upload


def test_without_headings_the_whole_text_goes_into_the_first_part(world: World, analysis_item: WorkItem) -> None:
    writing = write(world, analysis_item)
    found = upload(world, writing, "x.txt", "没有分标题的一段话。".encode())
    writing.refresh_from_db()
    assert not found.headings_found
    assert writing.sections == {"problems": "没有分标题的一段话。", "causes": "", "measures": ""}


def test_no_upload_once_submitted(world: World, reflection_item: WorkItem) -> None:
    writing = write(world, reflection_item)
    services.submit_writing(writing=writing, by=world.users["member"])
    with pytest.raises(ValidationError, match="不能再修改"):
        upload(world, writing, "a.txt", "新内容".encode())
