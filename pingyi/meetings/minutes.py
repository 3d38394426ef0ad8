"""The minutes of a life meeting as a Word file in the usual layout (core.documents, GB/T 9704)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pingyi.core.documents import Document, chinese_date

from .models import LifeMeeting
from .selectors import attendees_of

NUMERALS = "一二三四五六七八九十"


def ordinal(n: int) -> str:
    """一, 二, … 十, 十一, … 九十九: the numbering of first-level headings."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def minutes_document(meeting: LifeMeeting) -> Document:
    attendees = list(attendees_of(meeting))
    present = [a for a in attendees if a.present]
    absent = [a for a in attendees if a.present is False]
    names = "、".join
    when = chinese_date(meeting.held_on) + (f" {meeting.starts_at:%H:%M}" if meeting.starts_at else "")
    doc = Document(title=_("%(org)s%(kind)s记录") % {"org": meeting.org.name, "kind": meeting.get_kind_display()})
    lines = [
        (_("会议主题"), meeting.theme),
        (_("时间"), when),
        (_("地点"), meeting.place),
        (_("主持人"), meeting.chair.name if meeting.chair else ""),
        (_("记录人"), meeting.recorder.name if meeting.recorder else ""),
        (_("出席人员"), names(a.person.name for a in present) if present else _("（未记录出席情况）")),
        (_("缺席人员"), names(f"{a.person.name}（{a.absence_reason}）" for a in absent) or _("无")),
        (_("上级列席"), names(p.name for p in meeting.supervisors.all()) or _("无")),
    ]
    for label, value in lines:
        doc.paragraph(f"{label}：{value}", indent=False)
    doc.heading(_("%(n)s、会议议程") % {"n": ordinal(1)})
    doc.paragraph(meeting.agenda or _("（未填写）"))
    for n, attendee in enumerate((a for a in attendees if a.present is not False), start=2):
        doc.heading(f"{ordinal(n)}、{attendee.person.name}")
        doc.heading(_("（一）自我批评"), level=2)
        doc.paragraph(attendee.self_criticism or _("（未记录）"))
        doc.heading(_("（二）他人批评"), level=2)
        criticisms = list(attendee.criticisms.all())
        for c in criticisms:
            doc.paragraph(f"{c.critic.name if c.critic else _('与会同志')}：{c.text}")
        if not criticisms:
            doc.paragraph(_("（未记录）"))
        doc.heading(_("（三）表态回应"), level=2)
        doc.paragraph(attendee.response or _("（未记录）"))
        doc.heading(_("（四）整改承诺"), level=2)
        commitments = list(attendee.commitments.all())
        for i, promise in enumerate(commitments, start=1):
            due = _("（%(date)s前完成）") % {"date": chinese_date(promise.due_on)} if promise.due_on else ""
            doc.paragraph(f"{i}. {promise.text}{due}")
        if not commitments:
            doc.paragraph(_("（未记录）"))
    doc.signature(meeting.org.name, meeting.held_on)
    return doc


def minutes_filename(meeting: LifeMeeting) -> str:
    return f"{meeting.held_on:%Y%m%d}{meeting.get_kind_display()}记录.docx"
