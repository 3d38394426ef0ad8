"""Attachments are checked by what they contain: the bytes must match the extension, an Office file must
hold its main part, and a zip that would expand like a bomb, or is broken, is refused before it is kept."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pingyi.core.attachments import check_attachment
from pingyi.core.downloads import DOCX, PDF

MB = 2**20


def office(main: str = "word/document.xml", extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main, "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_a_pdf_and_a_word_file_are_kept_under_their_own_names() -> None:
    pdf = check_attachment(upload("学习材料.pdf", b"%PDF-1.4\n..."))
    assert (pdf.filename, pdf.content_type) == ("学习材料.pdf", PDF)
    docx = check_attachment(upload("../../讲话稿.docx", office()))
    assert (docx.filename, docx.content_type) == ("讲话稿.docx", DOCX)


def test_a_picture_is_re_encoded() -> None:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(out, format="PNG")
    kept = check_attachment(upload("扫描件.png", out.getvalue()))
    assert kept.content_type == "image/png" and kept.content.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("病毒.exe", b"MZ\x90\x00", "类型不支持"),
        ("材料.doc", b"\xd0\xcf\x11\xe0", "另存为 .docx"),
        ("假的.pdf", b"MZ\x90\x00 not a pdf", "内容与扩展名不符"),
        ("假的.docx", b"%PDF-1.4", "内容与扩展名不符"),
        ("表格.xlsx", office(), "不是真正的 Excel"),  # a zip, but a Word one named .xlsx
        ("空.pdf", b"", "空文件"),
        ("照片.jpg", b"not a picture", "不是 JPG"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(name: str, data: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_attachment(upload(name, data))


def test_a_file_over_the_cap_is_refused() -> None:
    with pytest.raises(ValidationError, match="超过 1 MB"):
        check_attachment(upload("大.pdf", b"%PDF-" + b"0" * MB), limit=MB)


def test_a_zip_bomb_is_refused_by_its_declared_size() -> None:
    """20 MB of zeros compress to ~20 KB: past ten times the (here 1 MB) cap once expanded."""
    bomb = office(extra={"word/media/image1.png": b"\0" * (20 * MB)})
    assert len(bomb) < MB // 10  # the control: small on the wire
    with pytest.raises(ValidationError, match="解压后过大或压缩比异常"):
        check_attachment(upload("炸弹.docx", bomb), limit=MB)
    assert check_attachment(upload("正常.docx", office(extra={"word/media/a.png": b"\0" * MB})), limit=MB)


def test_a_broken_member_is_refused() -> None:
    data = bytearray(office(extra={"word/styles.xml": b"<styles>" + b"x" * 5000 + b"</styles>"}))
    start = data.index(b"word/styles.xml") + len("word/styles.xml") + 3  # inside the member's compressed data
    data[start] ^= 0xFF
    with pytest.raises(ValidationError, match="已损坏"):
        check_attachment(upload("坏.docx", bytes(data)))
