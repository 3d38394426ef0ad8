"""The round's opinions as an Excel tally (意见汇总表): a title row, a header row, one row each, totals."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from pingyi.core.spreadsheets import DATETIME, NUMBER, Column, Sheet

from .models import Opinion, OpinionRound, OpinionStatus


def _columns() -> list[Column]:
    # Narrow enough that a landscape A4 page, fitted to the width, still prints at a legible size.
    return [
        Column(_("编号"), NUMBER, width=6),
        Column(_("时间"), DATETIME, width=16),
        Column(_("渠道"), width=8),
        Column(_("提出者"), width=12, wrap=True),
        Column(_("联系方式"), width=14, wrap=True),
        Column(_("内容类别"), width=10, wrap=True),
        Column(_("类别"), width=10, wrap=True),
        Column(_("意见内容"), width=40, wrap=True),
        Column(_("涉及"), width=12, wrap=True),
        Column(_("状态"), width=8),
        Column(_("答复"), width=28, wrap=True),
        Column(_("整改事项"), width=16, wrap=True),
    ]


def _row(opinion: Opinion, see_private: bool) -> list[object]:
    phone = opinion.contact_phone if see_private else opinion.masked_contact_phone
    merged = _("并入 #%(id)d") % {"id": opinion.merged_into_id} if opinion.merged_into_id else ""
    return [
        opinion.pk,
        opinion.created_at,
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
    """Text from the public stays text (core.spreadsheets): "=HYPERLINK(...)" is not to become a formula."""
    sheet = Sheet(_("意见汇总表"), title=_("%(title)s意见汇总表") % {"title": round.title}, columns=_columns())
    live = 0
    for opinion in opinions:
        live += opinion.status != OpinionStatus.MERGED
        sheet.row(_row(opinion, see_private))
    sheet.totals([_("合计"), _("%(count)d条意见（不含已合并的重复意见）") % {"count": live}])
    return sheet.to_bytes()
