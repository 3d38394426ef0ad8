"""The letters (征求意见函) with their reply form, and the follow-up symposium's invitations."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core.documents import Document, chinese_date
from pingyi.core.qr import qr_png

from . import services
from .models import Invitee, LetterBatch, OpinionRound, Symposium


def public_url(base_url: str, round: OpinionRound, code: str = "") -> str:
    path = reverse("opinions:public", kwargs={"opinion_round_key": round.public_key})
    return base_url.rstrip("/") + path + (f"?code={code}" if code else "")


def letter(round: OpinionRound, invitee: Invitee, *, code: str, url: str, on: date) -> Document:
    doc = Document(title=_("征求意见函"), recipient=invitee.name)
    doc.paragraph(
        _("为深入开展%(campaign)s，进一步改进工作作风、提高服务水平，%(org)s诚恳听取贵单位对我们的意见和建议。")
        % {"campaign": round.campaign.title if round.campaign else round.title, "org": round.org.name}
    )
    if round.intro:
        doc.paragraph(round.intro)
    if round.topics:
        doc.paragraph(_("请重点就以下方面提出意见：%(topics)s。") % {"topics": "、".join(round.topic_labels())})
    how = _("或用手机扫描二维码在网上填写（邀请码：%(code)s，只能使用一次）") % {"code": code}
    if round.closes_on:
        when = _("请于%(closes)s前填写所附征求意见表寄回，") % {"closes": chinese_date(round.closes_on)}
    else:
        when = _("请填写所附征求意见表寄回，")
    doc.paragraph(f"{when}{how}。")
    doc.paragraph(_("感谢贵单位的关心和支持！"))
    doc.signature(round.org.name, on)
    doc.page_break()
    doc.title(_("征求意见表"))
    doc.table(
        [_("项目"), _("内容")],
        [
            [_("单位名称"), invitee.name],
            [_("联系人"), invitee.contact],
            [_("联系电话"), ""],
            [_("意见和建议"), "\n\n\n\n\n\n"],
        ],
    )
    doc.paragraph(_("网上填写：%(url)s") % {"url": url}, indent=False, small=True)
    doc.image(qr_png(url), width_mm=30)
    doc.paragraph(_("邀请码：%(code)s") % {"code": code}, indent=False, align="center", small=True)
    return doc


def invitation(symposium: Symposium, invitee: Invitee, *, on: date) -> Document:
    round_ = symposium.round
    doc = Document(title=_("座谈会邀请函"), recipient=invitee.name)
    doc.paragraph(
        _(
            "感谢贵单位在%(round)s中提出的宝贵意见。为通报意见的办理情况、进一步听取意见，我们定于%(day)s%(place)s召开%(title)s，敬请派员参加。"
        )
        % {
            "round": round_.title,
            "day": chinese_date(symposium.held_on),
            "place": _("在%(place)s") % {"place": symposium.place} if symposium.place else "",
            "title": symposium.title,
        }
    )
    doc.paragraph(_("请于会前告知参会人员姓名。"))
    doc.signature(round_.org.name, on)
    return doc


def _filename(number: int, name: str) -> str:
    safe = "".join(ch for ch in name if ch not in '\\/:*?"<>|').strip() or "unit"
    return f"{number:03d}-{safe[:40]}.docx"


@transaction.atomic
def build_batch(batch_id: int, progress: Callable[[int, int], None]) -> int:
    """Every addressee's document into one .zip; the codes and the file commit together or not at all."""
    batch = (
        LetterBatch.objects.select_for_update(of=("self",))
        .select_related("round__org", "round__campaign", "symposium")
        .get(pk=batch_id)
    )
    if batch.content is not None:
        return batch.count  # already built: a retried job changes nothing
    round_ = batch.round
    invitees = list((batch.symposium.invitees if batch.symposium else round_.invitees).order_by("id"))
    today = timezone.localdate()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, invitee in enumerate(invitees, start=1):
            if batch.kind == LetterBatch.Kind.INVITATIONS:
                assert batch.symposium is not None
                doc = invitation(batch.symposium, invitee, on=today)
            else:
                code = services.issue_invitee_code(invitee=invitee)
                doc = letter(round_, invitee, code=code, url=public_url(batch.base_url, round_, code), on=today)
            archive.writestr(_filename(number, invitee.name), doc.to_docx())
            progress(number, len(invitees))
    batch.content = buffer.getvalue()
    batch.count = len(invitees)
    batch.save(update_fields=["content", "count"])
    return batch.count
