"""The roll-up as a spreadsheet: one row per branch under the node, in the attention order of the page."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core.spreadsheets import DATE, DATETIME, NUMBER, Column, Sheet
from pingyi.org.models import OrgUnit

from .selectors import branch_rows


def rollup_workbook(root: OrgUnit) -> bytes:
    columns = [
        Column(_("组织")),
        Column(_("党员人数"), kind=NUMBER),
        Column(_("活动")),
        Column(_("当前阶段")),
        Column(_("阶段截止"), kind=DATE),
        Column(_("必做事项完成（人次）"), kind=NUMBER),
        Column(_("应完成（人次）"), kind=NUMBER),
        Column(_("逾期（人次）"), kind=NUMBER),
        Column(_("不作要求（人次）"), kind=NUMBER),
        Column(_("民主测评参加"), kind=NUMBER),
        Column(_("应参加"), kind=NUMBER),
        Column(_("复制比超标文稿"), kind=NUMBER),
        Column(_("未销号整改事项"), kind=NUMBER),
        Column(_("逾期整改事项"), kind=NUMBER),
        Column(_("未处理的意见"), kind=NUMBER),
        Column(_("回头看已勾选"), kind=NUMBER),
        Column(_("回头看项数"), kind=NUMBER),
        Column(_("统计时间"), kind=DATETIME),
    ]
    title = _("%(org)s督导汇总（%(day)s）") % {"org": root.name, "day": timezone.localdate().isoformat()}
    sheet = Sheet(_("督导汇总"), title=title, columns=columns)
    members, sums = 0, [0] * 12
    for row in branch_rows(root).order_by("-overdue", "stage_ends_on", "org__path"):
        numbers = [
            row.required_done, row.required_expected, row.overdue, row.excused, row.voted, row.voters,
            row.flagged_writings, row.open_rectification, row.overdue_rectification, row.untraced_opinions,
            row.lookback_checked, row.lookback_total,
        ]  # fmt: skip
        campaign = row.campaign.title if row.campaign else _("未开展活动")
        sheet.row([row.org.name, row.members, campaign, row.stage_name, row.stage_ends_on, *numbers, row.computed_at])
        members, sums = members + row.members, [a + b for a, b in zip(sums, numbers, strict=True)]
    sheet.totals([_("合计"), members, "", "", "", *sums, ""])
    return sheet.to_bytes()
