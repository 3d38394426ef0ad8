"""A branch's writings as Word (one collection with a table of contents, or one file each in a .zip)
and as an Excel tally. Documents are Chinese whatever the UI language: they are filed as written."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from pingyi.core.documents import Document
from pingyi.org.models import OrgUnit

from .models import COMPARISONS, SECTIONS, Writing, WritingVersion

UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def _accepted_version(writing: Writing) -> WritingVersion:
    return writing.versions.all()[0]  # prefetched newest first; an accepted writing's newest version was accepted


def _heading(doc: Document, n: int, text: str, level: int) -> None:
    numeral = "一二三四"[n]
    doc.heading(f"{numeral}、{text}" if level == 1 else f"（{numeral}）{text}", level=level)


def _write_body(doc: Document, writing: Writing, version: WritingVersion, level: int) -> None:
    """A self-analysis keeps its parts as headings (level 1 alone, level 2 inside a collection)."""
    if writing.is_self_analysis:
        for n, (key, label) in enumerate(SECTIONS):
            _heading(doc, n, str(label), level)
            doc.paragraph(version.sections.get(key, ""))
        rows = [
            [
                str(label),
                "√" if version.comparisons.get(key, {}).get("checked") else "",
                version.comparisons.get(key, {}).get("note", ""),
            ]
            for key, label in COMPARISONS
        ]
        _heading(doc, 3, "四个对照", level)
        doc.table(["对照内容", "已对照", "说明"], rows)
    else:
        doc.paragraph(version.text)


def _byline(writing: Writing, version: WritingVersion) -> str:
    return f"{writing.author.name}　{writing.author.org.name}　{version.word_count}字"


def single_docx(writing: Writing) -> bytes:
    version = _accepted_version(writing)
    with translation.override("zh-hans"):
        doc = Document(title=version.title, subtitle=_byline(writing, version))
        _write_body(doc, writing, version, level=1)
        doc.signature(writing.author.name, timezone.localdate(writing.accepted_at) if writing.accepted_at else None)
        return doc.to_docx()


def collection_docx(org: OrgUnit, title: str, writings: Iterable[Writing]) -> bytes:
    """One Word file: a title, the table of contents (one entry per piece), each piece from a new page."""
    with translation.override("zh-hans"):
        doc = Document(title=title)
        doc.toc()
        for n, writing in enumerate(writings):
            version = _accepted_version(writing)
            if n:
                doc.page_break()
            doc.heading(f"{writing.author.name}：{version.title}")
            doc.paragraph(_byline(writing, version), indent=False, align="center", small=True)
            _write_body(doc, writing, version, level=2)
        return doc.to_docx()


def filename_for(writing: Writing) -> str:
    version = _accepted_version(writing)
    return f"{UNSAFE.sub('_', writing.author.name)}-{UNSAFE.sub('_', version.title)}-{writing.pk}.docx"


def zip_of_docx(writings: Iterable[Writing]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for writing in writings:
            archive.writestr(filename_for(writing), single_docx(writing))
    return buffer.getvalue()


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def tally_xlsx(title: str, writings: Iterable[Writing]) -> bytes:
    """Title row, header row, one row per piece (its latest version), totals: the layout of every Pingyi tally."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("文稿统计")
    headers = [
        _("序号"),
        _("姓名"),
        _("所在组织"),
        _("类型"),
        _("标题"),
        _("稿次"),
        _("字数"),
        _("状态"),
        _("提交时间"),
        _("通过时间"),
    ]
    sheet.append([title])
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    count = words = accepted = 0
    for count, writing in enumerate(writings, start=1):
        latest = writing.versions.all()[0]
        words += latest.word_count
        accepted += writing.status == Writing.Status.ACCEPTED
        sheet.append(
            [
                count,
                writing.author.name,
                writing.author.org.name,
                writing.get_kind_display(),
                latest.title,
                latest.number,
                latest.word_count,
                writing.get_status_display(),
                _local(latest.submitted_at),
                _local(writing.accepted_at),
            ]
        )
        for column in (9, 10):
            sheet.cell(count + 2, column).number_format = "yyyy-mm-dd hh:mm"
    sheet.append(
        [_("合计"), _("%(n)d 篇，通过 %(accepted)d 篇") % {"n": count, "accepted": accepted}, "", "", "", "", words]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGHIJ", [6, 10, 18, 14, 30, 6, 8, 8, 18, 18], strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
