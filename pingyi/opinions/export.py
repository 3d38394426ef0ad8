"""The round's opinions as an Excel tally (意见汇总表): a title row, a header row, one row each, totals."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import Opinion, OpinionRound, OpinionStatus


def _headers() -> list[tuple[str, int]]:
    return [
        (_("编号"), 8),
        (_("时间"), 17),
        (_("渠道"), 11),
        (_("提出者"), 20),
        (_("联系方式"), 16),
        (_("内容类别"), 16),
        (_("类别"), 14),
        (_("意见内容"), 60),
        (_("涉及"), 16),
        (_("状态"), 9),
        (_("答复"), 40),
        (_("整改事项"), 24),
    ]


def _row(opinion: Opinion, see_private: bool) -> list[object]:
    phone = opinion.contact_phone if see_private else opinion.masked_contact_phone
    merged = _("并入 #%(id)d") % {"id": opinion.merged_into_id} if opinion.merged_into_id else ""
    return [
        opinion.pk,
        timezone.localtime(opinion.created_at).strftime("%Y-%m-%d %H:%M"),
        opinion.get_channel_display(),
        opinion.source_name or _("匿名"),
        " ".join(filter(None, [opinion.contact_name, phone])),
        opinion.get_topic_display(),
        opinion.category.name if opinion.category else "",
        opinion.text,
        opinion.concerns_person.name if opinion.concerns_person else opinion.concerns_unit,
        merged or opinion.get_status_display(),
        opinion.answer,
        opinion.rectification_item.title if opinion.rectification_item else "",
    ]


def opinions_workbook(round: OpinionRound, opinions: Iterable[Opinion], *, see_private: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(_("意见汇总表"))
    headers = _headers()
    sheet.cell(1, 1).value = _("%(title)s意见汇总表") % {"title": round.title}
    sheet.cell(1, 1).font = Font(bold=True, size=16)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    for col, (header, width) in enumerate(headers, start=1):
        sheet.cell(2, col).value = header
        sheet.cell(2, col).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A3"
    row = 2
    live = 0
    for opinion in opinions:
        row += 1
        live += opinion.status != OpinionStatus.MERGED
        for col, value in enumerate(_row(opinion, see_private), start=1):
            cell = sheet.cell(row, col)
            cell.value = value  # type: ignore[assignment]
            if isinstance(value, str):
                # Text from the public must stay text: "=HYPERLINK(...)" is not to become a formula.
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(row + 1, 1).value = _("合计")
    sheet.cell(row + 1, 1).font = Font(bold=True)
    sheet.cell(row + 1, 2).value = _("%(count)d条意见（不含已合并的重复意见）") % {"count": live}
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
