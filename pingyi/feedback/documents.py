"""The feedback letter in the official-document layout (core.documents): one per member, or all merged."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core.documents import Document

from .models import Feedback


def letter(feedback: Feedback) -> Document:
    campaign = feedback.campaign
    doc = Document(
        title=_("民主评议书面反馈意见"),
        recipient=_("%(name)s同志") % {"name": feedback.person.name},
    )
    doc.paragraph(
        _("根据%(campaign)s的安排，经综合个人讲评、党员互评、群众参评、征求的意见和一贯表现，现将评议意见反馈如下：")
        % {"campaign": campaign.title}
    )
    for number, (heading, text) in enumerate(
        [
            (_("做得好的方面"), feedback.strengths),
            (_("存在的问题"), feedback.problems),
            (_("整改方向"), feedback.direction),
        ]
    ):
        doc.heading(f"{'一二三'[number]}、{heading}")
        doc.paragraph(text or _("无。"))
    doc.paragraph(_("请对照以上意见认真整改，并将整改情况报告支部。"))
    on = (feedback.sent_at or timezone.now()).astimezone(timezone.get_current_timezone()).date()
    doc.signature(campaign.org.name, on)
    if feedback.acknowledged_at:
        at = timezone.localtime(feedback.acknowledged_at)
        doc.paragraph(_("本人已于%(at)s确认收到。") % {"at": f"{at:%Y-%m-%d %H:%M}"}, indent=False, small=True)
    return doc


def merged(feedbacks: Iterable[Feedback]) -> Document:
    """Every letter in one document, each on its own page, for printing."""
    out = Document()
    for i, feedback in enumerate(feedbacks):
        if i:
            out.page_break()
        out.blocks.extend(letter(feedback).blocks)
    return out
