"""The register and the stage statistics as .xlsx, and the printable sign-in sheet (PDF, official layout)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pingyi.core.documents import Document, chinese_date
from pingyi.core.spreadsheets import DATE, NUMBER, Column, Sheet

from .models import ATTENDED, Activity, Status
from .selectors import RegisterRow, StageStatistics


def counts(rows: Sequence[RegisterRow]) -> dict[str, int]:
    """Marks by state, person-times (present, late, remote) and who is not yet marked."""
    found = Counter(row.status for row in rows if row.status)
    return {
        **{status: found.get(status, 0) for status in Status.values},
        "person_times": sum(found.get(s, 0) for s in ATTENDED),
        "unmarked": sum(1 for row in rows if not row.status),
        "required": sum(1 for row in rows if row.required),
    }


def _when(activity: Activity) -> str:
    return date_format(timezone.localtime(activity.starts_at), "SHORT_DATETIME_FORMAT")


def register_sheet(activity: Activity, rows: Sequence[RegisterRow]) -> bytes:
    sheet = Sheet(
        _("考勤登记"),
        title=_("%(title)s考勤登记（%(when)s）") % {"title": activity.title, "when": _when(activity)},
        columns=[
            Column(_("序号"), kind=NUMBER),
            Column(_("姓名")),
            Column(_("考勤")),
            Column(_("请假原因")),
            Column(_("补学内容"), wrap=True),
            Column(_("补学日期"), kind=DATE),
        ],
    )
    for number, row in enumerate(rows, start=1):
        makeup = getattr(row.attendance, "makeup", None) if row.attendance else None
        status = row.attendance.get_status_display() if row.attendance else _("未登记")
        reason = row.attendance.reason if row.attendance else ""
        sheet.row(
            [
                number,
                row.person.name,
                status,
                reason,
                makeup.what if makeup else "",
                makeup.studied_on if makeup else None,
            ]
        )
    total = counts(rows)
    sheet.totals([_("合计"), _("出席 %(n)d 人次") % {"n": total["person_times"]}])
    return sheet.to_bytes()


def stage_sheet(stats: StageStatistics) -> bytes:
    sheet = Sheet(
        _("学习统计"),
        title=_("%(campaign)s%(stage)s学习情况统计") % {"campaign": stats.campaign.title, "stage": stats.stage.label},
        columns=[
            Column(_("姓名")),
            Column(_("出席次数"), kind=NUMBER),
            Column(_("缺席次数"), kind=NUMBER),
            Column(_("已补学次数"), kind=NUMBER),
        ],
    )
    for line in stats.members:
        sheet.row([line.person.name, line.attended, line.missed, line.made_up])
    sheet.totals([_("合计"), stats.person_times, len(stats.absentees), stats.made_up])
    sheet.row([])
    sheet.row([_("活动次数"), stats.activities])
    sheet.row([_("集中学习次数"), stats.sessions])
    for name, number in stats.activities_by_kind:
        sheet.row([name, number])
    if stats.absentees:
        sheet.row([])
        sheet.totals([_("缺席人员"), _("活动"), _("考勤"), _("补学")])
    for absence in stats.absentees:
        made = f"{chinese_date(absence.makeup.studied_on)} {absence.makeup.what}" if absence.makeup else _("未补学")
        sheet.row([absence.person.name, absence.activity.title, absence.attendance.get_status_display(), made])
    return sheet.to_bytes()


def sign_in_sheet(activity: Activity, rows: Sequence[RegisterRow]) -> bytes:
    """A sheet to sign on paper in a room without phones; the secretary enters it afterwards on the register."""
    doc = Document(title=_("%(title)s签到表") % {"title": activity.title})
    place = activity.place or _("（未填写）")
    doc.paragraph(_("时间：%(when)s　地点：%(place)s") % {"when": _when(activity), "place": place}, indent=False)
    doc.table(
        [_("序号"), _("姓名"), _("签名"), _("备注")],
        [[str(n), row.person.name, "", ""] for n, row in enumerate((r for r in rows if r.required), start=1)],
    )
    return doc.to_pdf()
