"""The printed things of an evaluation: public rating slips and the notice (通报), via core.documents."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core.documents import Document
from pingyi.core.qr import qr_png

from . import codes
from .models import EvaluationRound, Notice, NoticeScope

SLIPS_PER_PAGE = 3


def slips(round: EvaluationRound, plain_codes: list[str], url: str) -> bytes:
    """One slip per code: what to do, the QR code (the code rides in the URL fragment) and the code itself."""
    doc = Document(title=_("群众参评测评票"))
    for n, code in enumerate(plain_codes, start=1):
        doc.paragraph(round.title, indent=False, align="center", bold=True)
        doc.image(qr_png(f"{url}#{code}"), width_mm=32)
        doc.paragraph(_("测评码：%(code)s") % {"code": codes.pretty(code)}, indent=False, align="center", bold=True)
        doc.paragraph(
            _("用手机扫码，或打开 %(url)s 输入测评码。无记名，不需登录；每个测评码只能使用一次。") % {"url": url},
            indent=False,
            small=True,
        )
        if n % SLIPS_PER_PAGE == 0 and n < len(plain_codes):
            doc.page_break()
        elif n < len(plain_codes):
            doc.paragraph("- - - - - - - - - - - - - - - - - - - - - - - -", indent=False, align="center", small=True)
    return doc.to_pdf()


def notice_document(notice: Notice) -> Document:
    round, c = notice.round, notice.counts
    doc = Document(title=notice.title, recipient=_scope_recipient(notice))
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
    doc.heading(_("二、评定结果"))
    rows = [[label, n] for label, n in c["grades"]]
    if c["ungraded"]:
        rows.append([_("预备党员（参加评议，不评定等次）"), c["ungraded"]])
    doc.table([_("等次"), _("人数")], rows)
    if notice.remarks:
        doc.heading(_("三、其他情况"))
        doc.paragraph(notice.remarks)
    doc.paragraph(
        _("测评结束时审计链哈希：%(hash)s。此后对评议记录的任何改动都可以据此发现。") % {"hash": notice.audit_hash},
        small=True,
    )
    doc.signature(_("中共%(org)s委员会") % {"org": round.org.name}, timezone.localdate(notice.published_at))
    return doc


def _scope_recipient(notice: Notice) -> str:
    return {
        NoticeScope.BRANCH: _("支部全体党员"),
        NoticeScope.BUREAU: _("局机关各股室、下属各单位"),
        NoticeScope.PUBLIC: "",
    }[NoticeScope(notice.scope)]
