"""A branch's writings as Word (one collection with a table of contents, or one file each in a .zip)
and as an Excel tally. Documents are Chinese whatever the UI language: they are filed as written."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pingyi.core.documents import Document
from pingyi.core.spreadsheets import DATETIME, NUMBER, Column, Sheet
from pingyi.org.models import OrgUnit

from .models import COMPARISONS, SECTIONS, Writing, WritingVersion
from .selectors import Tally

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


def tally_xlsx(title: str, tally: Tally) -> bytes:
    """Everyone asked to write, as on the campaign page: one row per submitted piece (its latest version),
    and one row for each person who has submitted nothing, so nobody is missing from the list. The totals
    count people the way the page does (a person counts once, by their most advanced piece), and pieces
    separately, each labelled as such."""
    sheet = Sheet(
        _("文稿统计"),
        title=title,
        columns=[
            Column(_("序号"), NUMBER),
            Column(_("姓名")),
            Column(_("所在组织")),
            Column(_("工作事项")),
            Column(_("标题"), wrap=True),
            Column(_("稿次"), NUMBER),
            Column(_("字数"), NUMBER),
            Column(_("状态")),
            Column(_("提交时间"), DATETIME),
            Column(_("通过时间"), DATETIME),
        ],
    )
    people = pieces = accepted_pieces = words = 0
    counts = {"accepted": 0, "submitted": 0, "returned": 0, "missing": 0}
    for panel in tally.panels:
        for line in panel.lines:
            people += 1
            where = tally.org_names.get(line.person.org_path, "")
            status = line.status
            counts[status if status in counts else "missing"] += 1
            sent = [w for w in line.writings if w.status != Writing.Status.DRAFT]
            if not sent:
                state = _("草稿未提交") if line.writings else _("未提交")
                sheet.row(
                    [
                        people,
                        line.person.name,
                        where,
                        panel.item.name,
                        "",
                        None,
                        None,
                        state,
                    ]
                )
                continue
            for writing in sent:
                latest = tally.versions[writing.pk]
                pieces += 1
                accepted_pieces += writing.status == Writing.Status.ACCEPTED
                words += latest.word_count
                sheet.row(
                    [
                        people,
                        line.person.name,
                        where,
                        panel.item.name,
                        latest.title,
                        latest.number,
                        latest.word_count,
                        writing.get_status_display(),
                        latest.submitted_at,
                        writing.accepted_at,
                    ]
                )
    by_people = _(
        "应写 %(n)d 人：已通过 %(accepted)d 人，待审阅 %(submitted)d 人，已退回 %(returned)d 人，未提交 %(missing)d 人"
    ) % {"n": people, **counts}
    by_pieces = _("已提交 %(n)d 篇，其中已通过 %(accepted)d 篇") % {"n": pieces, "accepted": accepted_pieces}
    sheet.totals([_("合计"), by_people, "", "", by_pieces, "", words])
    return sheet.to_bytes()
