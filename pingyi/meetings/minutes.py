"""The minutes of a life meeting as a Word file in the usual layout (core.documents, GB/T 9704)."""

from __future__ import annotations

from datetime import date
from typing import Any

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
    # Minutes hold what was said: a member gets a section only for what was recorded, and the members
    # with nothing recorded yet share one line (29 sections of "（未记录）" ran to 13 pages).
    silent = []
    number = 1
    for attendee in (a for a in attendees if a.present is not False):
        parts = _recorded(attendee)
        if not parts:
            silent.append(attendee.person.name)
            continue
        number += 1
        doc.heading(f"{ordinal(number)}、{attendee.person.name}")
        for n, (label, paragraphs) in enumerate(parts, start=1):
            doc.heading(f"（{ordinal(n)}）{label}", level=2)
            for text in paragraphs:
                doc.paragraph(text)
    if silent:
        doc.paragraph(_("发言尚未记录：%(names)s。") % {"names": names(silent)})
    doc.signature(meeting.org.name, meeting.held_on)
    return doc


def _recorded(attendee: Any) -> list[tuple[str, list[str]]]:
    """The parts of one member's record that hold something, in the order of the meeting."""
    criticisms = [f"{c.critic.name if c.critic else _('与会同志')}：{c.text}" for c in attendee.criticisms.all()]
    commitments = [
        f"{i}. {promise.text}{_due(promise.due_on)}" for i, promise in enumerate(attendee.commitments.all(), start=1)
    ]
    parts = [
        (_("自我批评"), [attendee.self_criticism] if attendee.self_criticism else []),
        (_("他人批评"), criticisms),
        (_("表态回应"), [attendee.response] if attendee.response else []),
        (_("整改承诺"), commitments),
    ]
    return [(label, texts) for label, texts in parts if texts]


def _due(on: date | None) -> str:
    return _("（%(date)s前完成）") % {"date": chinese_date(on)} if on else ""


def minutes_filename(meeting: LifeMeeting) -> str:
    return f"{meeting.held_on:%Y%m%d}{meeting.get_kind_display()}记录.docx"
