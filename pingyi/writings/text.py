"""Plain-text helpers: the Chinese word count, the self-analysis's composed text, reading uploaded files."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from .models import SECTIONS, WritingKind

MAX_CHARS = 50_000  # far beyond any reflection; stops a pasted book from filling the database
# How long a submitted piece must be, in 字 (word_count), per kind: (at least, at most). A reflection of one
# sentence or a pasted page repeated to fill space is not what the branch asked for; settings.WRITING_LENGTHS
# changes either bound per kind. A self-analysis counts its three parts, not their headings.
DEFAULT_LENGTHS: dict[str, tuple[int, int]] = {
    WritingKind.REFLECTION: (200, 6000),
    WritingKind.SELF_ANALYSIS: (600, 15000),
}
MAX_UPLOAD_BYTES = 5 * 2**20
NUMERALS = "一二三四五六七八九十"


def word_count(text: str) -> int:
    """Chinese 字数: every character except whitespace, punctuation and control characters.

    The editor's live counter (static/writings/editor.js) uses the same rule: Unicode
    categories P*, Z* and C* are not counted.
    """
    return sum(1 for ch in text if not ch.isspace() and unicodedata.category(ch)[0] not in "PZC")


def length_limits(kind: str) -> tuple[int, int]:
    return {**DEFAULT_LENGTHS, **getattr(settings, "WRITING_LENGTHS", {})}[kind]


def length_problem(kind: str, words: int) -> str:
    """Why a piece of `words` 字 may not be submitted as `kind`, or "" when its length is right."""
    least, most = length_limits(kind)
    label = WritingKind(kind).label
    if words < least:
        return _("%(kind)s至少要写 %(least)d 字，现在是 %(n)d 字（不含空格和标点）。") % {
            "kind": label,
            "least": least,
            "n": words,
        }
    if words > most:
        return _("%(kind)s最多 %(most)d 字，现在是 %(n)d 字，请精简后再提交。") % {
            "kind": label,
            "most": most,
            "n": words,
        }
    return ""


def compose(sections: dict[str, str]) -> str:
    """A self-analysis as one text, each part under its numbered heading (the document is Chinese whatever the UI)."""
    parts = []
    with translation.override("zh-hans"):
        for n, (key, label) in enumerate(SECTIONS):
            body = sections.get(key, "").strip()
            parts.append(f"{NUMERALS[n]}、{label}\n{body}".rstrip())
    return "\n\n".join(parts)


def split_sections(text: str) -> tuple[dict[str, str], bool]:
    """Sections of an uploaded self-analysis, found by their headings; (sections, found any heading).

    Without headings the whole text goes into the first part, for the writer to divide.
    """
    labels = []
    with translation.override("zh-hans"):
        labels = [(key, str(label)) for key, label in SECTIONS]
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        stripped = line.strip()
        match = next((key for key, label in labels if label in stripped and len(stripped) <= len(label) + 8), None)
        if match:
            current = match
            found.setdefault(current, [])
            continue
        if current is not None:
            found[current].append(line)
    if not found:
        return {labels[0][0]: text.strip()}, False
    return {key: "\n".join(lines).strip() for key, lines in found.items()}, True


@dataclass(frozen=True)
class UploadedText:
    filename: str
    text: str


def read_upload(filename: str, data: bytes) -> UploadedText:
    """The text of an uploaded .docx or .txt, or a ValidationError saying in Chinese what is wrong."""
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    lower = name.lower()
    if not lower.endswith((".docx", ".txt")):
        if lower.endswith(".doc"):
            raise ValidationError(_("不能读取旧版 Word（.doc）文件，请在 Word 中“另存为” .docx 后再上传。"))
        raise ValidationError(_("只能上传 Word（.docx）或纯文本（.txt）文件。"))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("文件太大（%(size).1f MB），不能超过 %(max)d MB。")
            % {"size": len(data) / 2**20, "max": MAX_UPLOAD_BYTES // 2**20}
        )
    text = _docx_text(data) if lower.endswith(".docx") else _txt_text(data)
    text = clean(text)
    if not text:
        raise ValidationError(_("文件里没有文字。"))
    if len(text) > MAX_CHARS:
        raise ValidationError(_("文件文字太多（%(n)d 字符），不能超过 %(max)d。") % {"n": len(text), "max": MAX_CHARS})
    return UploadedText(filename=name, text=text)


def _docx_text(data: bytes) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ValidationError(_("无法读取这个 .docx 文件，请确认它是用 Word 保存的文档。")) from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _txt_text(data: bytes) -> str:
    # Files saved by Chinese Windows Notepad are often GB18030 (GBK) rather than UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ValidationError(_("无法识别这个文本文件的编码，请另存为 UTF-8 后再上传。"))


def clean(text: str) -> str:
    """Normalise line endings and trailing spaces; the writer's own spacing inside lines is kept."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()
