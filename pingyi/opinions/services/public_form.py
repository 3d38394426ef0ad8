"""The public online form: an anonymous opinion, within the limits of limits.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core import audit

from .. import codes, limits
from ..models import (
    AccessCode,
    Channel,
    Opinion,
    OpinionRound,
)
from .rounds import clean_text


class Refused(Exception):
    """A submission turned away by a rate limit; nothing was stored, the sender keeps their text."""

    def __init__(self, refusal: limits.Refusal) -> None:
        self.refusal = refusal
        minutes = max(refusal.seconds // 60, 1)
        args = {"limit": refusal.limit, "minutes": minutes}
        if refusal.kind == "address":
            message = _("提交过于频繁：同一网络地址每%(minutes)d分钟最多提交%(limit)d条意见。请稍后再试。") % args
        elif refusal.kind == "code":
            message = _("这个邀请码提交次数已达上限（每%(minutes)d分钟%(limit)d条），请稍后再试。") % args
        else:
            message = _("此刻提交的人很多，请过一两分钟再试。")
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Submitted:
    opinion: Opinion
    repeated: bool  # the same form sent again: nothing new was stored


def round_is_open(round: OpinionRound) -> bool:
    return round.accepts_public and (round.closes_on is None or round.closes_on >= timezone.localdate())


def submit_public_opinion(
    *,
    round: OpinionRound,
    text: str,
    address: str,
    submission_key: str = "",
    code: str = "",
    topic: str = "",
    source_group: str = "",
    contact_name: str = "",
    contact_phone: str = "",
) -> Submitted:
    """An opinion from the online form, no account needed.

    Raises ValidationError (bad input, closed round, wrong code) or Refused (a rate limit) and then
    stores nothing. Limits are counted before the write so that concurrent senders cannot overrun them.
    """
    if not round_is_open(round):
        raise ValidationError(_("本轮征求意见已经结束，不再接受网上提交。"))
    text = clean_text(text)
    if not text:
        raise ValidationError(_("请填写意见内容"))
    if len(text) > limits.setting("OPINIONS_MAX_CHARS"):
        raise ValidationError(_("意见内容过长"))
    if submission_key:
        earlier = Opinion.objects.filter(round=round, submission_key=submission_key).first()
        if earlier is not None:
            return Submitted(earlier, repeated=True)

    taken: list[tuple[str, str]] = []

    def take(kind: str, value: str) -> None:
        refusal = limits.take(kind, value)
        if refusal is not None:
            raise Refused(refusal)
        taken.append((kind, value))

    take("address", address)
    take("round", round.public_key)
    access = _access_code(round, code)
    if access is not None and access.kind == AccessCode.Kind.ROUND:
        take("code", access.code_hash)
    try:
        return _store_public(
            round=round,
            text=text,
            access=access,
            submission_key=submission_key or None,
            topic=topic,
            source_group=source_group,
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
        )
    except IntegrityError:
        # The same form sent twice at once: the other request stored it.
        earlier = Opinion.objects.filter(round=round, submission_key=submission_key).first()
        if earlier is None:
            raise
        return Submitted(earlier, repeated=True)
    except BaseException:
        for kind, value in taken:
            limits.give_back(kind, value)
        raise


def _access_code(round: OpinionRound, code: str) -> AccessCode | None:
    if not codes.normalise(code):
        if round.requires_code:
            raise ValidationError(_("本轮只接受受邀单位凭邀请码提交，请填写征求意见函上的邀请码。"))
        return None
    access = (
        AccessCode.objects.select_related("invitee")
        .filter(round=round, code_hash=codes.hash_code(code), revoked=False)
        .first()
    )
    if access is None:
        raise ValidationError(_("邀请码不正确，请核对征求意见函上的邀请码。"))
    if access.used_at is not None:
        raise ValidationError(_("这个邀请码已经用过了：每个一次性邀请码只能提交一次。"))
    return access


@transaction.atomic
def _store_public(
    *,
    round: OpinionRound,
    text: str,
    access: AccessCode | None,
    submission_key: str | None,
    topic: str,
    source_group: str,
    contact_name: str,
    contact_phone: str,
) -> Submitted:
    invitee = access.invitee if access else None
    one_time = access is not None and access.kind == AccessCode.Kind.ONE_TIME
    # A conditional update: of two requests racing with one code, exactly one wins.
    if one_time and not AccessCode.objects.filter(pk=access.pk, used_at__isnull=True).update(used_at=timezone.now()):  # type: ignore[union-attr]
        raise ValidationError(_("这个邀请码已经用过了：每个一次性邀请码只能提交一次。"))
    opinion = Opinion.objects.create(
        round=round,
        channel=Channel.ONLINE,
        text=text,
        topic=topic,
        source_group=invitee.group if invitee else source_group,
        source_name=invitee.name if invitee else "",
        invitee=invitee,
        contact_name=contact_name,
        contact_phone=contact_phone,
        submission_key=submission_key,
    )
    audit.record(
        actor="public", action="opinions.submitted", org=round.org, target=opinion, data={"invited": bool(access)}
    )
    return Submitted(opinion, repeated=False)
