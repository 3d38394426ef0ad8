"""The printed things of an evaluation: public rating slips and the notice (通报), via core.documents."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core.documents import Document
from pingyi.core.documents.slips import Slip, slip_sheet

from . import codes
from .models import EvaluationRound, Notice, NoticeScope
from .selectors import paper_sentence, target_sentence


def slips(round: EvaluationRound, plain_codes: list[str], url: str) -> bytes:
    """One slip per code, eight to an A4 sheet with cut lines: the QR code (the code rides in the URL fragment),
    beside it the code and the address to type it into by hand."""
    note = _("用手机扫码，或打开上面的网址输入测评码。无记名，不需登录；每个测评码只能使用一次。")
    return slip_sheet(
        [
            Slip(
                heading=round.title,
                code=_("测评码：%(code)s") % {"code": codes.pretty(code)},
                link=f"{url}#{code}",
                address=url,
                note=note,
            )
            for code in plain_codes
        ],
        title=_("群众参评测评票"),
    )


def notice_document(notice: Notice) -> Document:
    round, c = notice.round, notice.counts
    doc = Document(title=notice.title, recipient=_scope_recipient(notice))
    if notice.supersedes is not None:
        replaced = timezone.localdate(notice.supersedes.published_at)
        doc.paragraph(
            _("本通报替代%(date)s发布的《%(title)s》，原因：%(reason)s")
            % {
                "date": f"{replaced.year}年{replaced.month}月{replaced.day}日",
                "title": notice.supersedes.title,
                "reason": notice.correction.rstrip("。") + "。",
            }
        )
    doc.paragraph(
        _("根据%(campaign)s的安排，%(org)s开展了%(title)s。现将有关情况通报如下。")
        % {"campaign": round.campaign.title, "org": round.org.name, "title": round.title}
    )
    doc.heading(_("一、参评情况"))
    doc.paragraph(
        _(
            "本次参加评议党员 %(members)d 名，经上级党组织同意不计入参评人数 %(excluded)d 名，应参评 %(expected)d 名，"
            "实际参评 %(voted)d 名（其中纸质投票 %(paper)d 名），参评率 %(percent)d%%。"
            "群众参评收回测评票 %(public)d 张。"
        )
        % c
    )
    for sentence in (paper_sentence(c), target_sentence(c)):
        if sentence:
            doc.paragraph(sentence)
    doc.heading(_("二、评定结果"))
    rows = [[label, n] for label, n in c["grades"]]
    if c["ungraded"]:
        rows.append([_("预备党员（参加评议，不评定等次）"), c["ungraded"]])
    doc.table([_("等次"), _("人数")], rows)
    if notice.remarks:
        doc.heading(_("三、其他情况"))
        doc.paragraph(notice.remarks)
    # The hash on lines of its own, flush left: justified, its 64 characters would be stretched across the page.
    doc.paragraph(_("测评结束时审计链哈希："), small=True)
    doc.paragraph(notice.audit_hash, indent=False, align="left", small=True)
    doc.paragraph(_("此后对评议记录的任何改动都可以据此发现。"), small=True)
    doc.signature(_("中共%(org)s委员会") % {"org": round.org.name}, timezone.localdate(notice.published_at))
    return doc


def _scope_recipient(notice: Notice) -> str:
    return {
        NoticeScope.BRANCH: _("支部全体党员"),
        NoticeScope.BUREAU: _("局机关各股室、下属各单位"),
        NoticeScope.PUBLIC: "",
    }[NoticeScope(notice.scope)]


def notice_filename(notice: Notice, extension: str) -> str:
    """Notices of one round at different scopes share a title: the scope tells their files apart, and a notice
    that replaced another at its scope carries its date as well."""
    scope = NoticeScope(notice.scope).label
    if notice.supersedes_id:
        return f"{notice.title}（{scope}，{timezone.localdate(notice.published_at):%Y-%m-%d}）.{extension}"
    return f"{notice.title}（{scope}）.{extension}"
