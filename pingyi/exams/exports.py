"""The results of a sitting as .xlsx (pingyi.core.spreadsheets): one row a member, who did not sit and why."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core.spreadsheets import DATETIME, NUMBER, Column, Sheet

from .models import Sitting
from .selectors import SeatRow


def state_label(row: SeatRow) -> str:
    return {
        "submitted": _("已交卷"),
        "started": _("未交卷"),
        "excused": _("不作要求"),
        "absent": _("缺考"),
    }[row.state]


def results(sitting: Sitting, rows: list[SeatRow]) -> bytes:
    sheet = Sheet(
        _("成绩"),
        title=_("%(title)s 成绩（及格分 %(mark)d）") % {"title": sitting.title, "mark": sitting.paper.pass_mark},
        columns=[
            Column(_("姓名")),
            Column(_("状态")),
            Column(_("得分"), kind=NUMBER),
            Column(_("是否及格")),
            Column(_("交卷时间"), kind=DATETIME),
            Column(_("方式")),
            Column(_("说明"), wrap=True, width=30),
        ],
    )
    for row in rows:
        s = row.sheet
        submitted = s is not None and s.submitted_at is not None
        graded = submitted and s is not None and s.pending == 0
        passed = graded and s is not None and (s.score or 0) >= sitting.paper.pass_mark
        note = row.excused or row.makeup_reason
        if submitted and s is not None and s.pending:
            note = _("还有 %(n)d 道简答题待评分") % {"n": s.pending}
        sheet.row(
            [
                row.person.name,
                state_label(row),
                s.score if graded and s is not None else None,
                (_("及格") if passed else _("不及格")) if graded else "",
                timezone.localtime(s.submitted_at) if submitted and s is not None and s.submitted_at else None,
                s.get_mode_display() if s is not None else "",
                note,
            ]
        )
    return sheet.to_bytes()
