"""The feedback letter in the official-document layout (core.documents): one per member, or all merged."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core.documents import Document
from pingyi.evaluation.selectors import ResultTable, own_result_table, result_tables, what_follows

from .models import Feedback


def letter(feedback: Feedback, result: ResultTable | None = None, *, looked_up: bool = False) -> Document:
    """One member's letter; `result` is their vote result when the caller has read it already (looked_up)."""
    campaign = feedback.campaign
    doc = Document(
        title=_("民主评议书面反馈意见"),
        recipient=_("%(name)s同志") % {"name": feedback.person.name},
    )
    doc.paragraph(
        _("根据%(campaign)s的安排，经综合个人讲评、党员互评、群众参评、征求的意见和一贯表现，现将评议意见反馈如下：")
        % {"campaign": campaign.title}
    )
    numbers = iter("一二三四五六")
    if feedback.has_opinion:
        # The grade and the committee's opinion in a place of their own, before the three parts.
        heading = _("评定等次和评议意见")
        doc.heading(f"{next(numbers)}、{heading}")
        if feedback.grade:
            doc.paragraph(_("经支部委员会研究，评定等次为：%(grade)s。") % {"grade": feedback.grade})
        else:
            doc.paragraph(_("预备党员参加民主评议，不评定等次。"))
        doc.paragraph(_("支部委员会评议意见：%(opinion)s") % {"opinion": feedback.opinion})
        follows = what_follows(feedback.grade, feedback.correct_by)
        if follows:
            doc.paragraph(follows)
    if not looked_up:
        result = own_result_table(feedback.person, campaign)
    if result:
        heading = _("民主测评结果")
        doc.heading(f"{next(numbers)}、{heading}")
        doc.paragraph(_("以下为无记名测评的合计，测评人数不足最少测评人数的不显示。"))
        doc.table(result.headers, result.rows)
    for heading, text in [
        (_("做得好的方面"), feedback.strengths),
        (_("存在的问题"), feedback.problems),
        (_("整改方向"), feedback.direction),
    ]:
        doc.heading(f"{next(numbers)}、{heading}")
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
    feedbacks = list(feedbacks)
    results = result_tables(feedbacks[0].campaign, [f.person_id for f in feedbacks]) if feedbacks else {}
    out = Document()
    for i, feedback in enumerate(feedbacks):
        if i:
            out.page_break()
        out.blocks.extend(letter(feedback, results.get(feedback.person_id), looked_up=True).blocks)
    return out
