"""The notice (通报) of a closed round's results at a chosen scope."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core import audit

from ..models import (
    EvaluationRound,
    Notice,
    NoticeScope,
)
from .rounds import lock_round


def current_notice(round: EvaluationRound, scope: str) -> Notice | None:
    """The notice in force at a scope: the latest, which nothing has replaced."""
    return Notice.objects.filter(round=round, scope=scope, successor__isnull=True).order_by("-pk").first()


@transaction.atomic
def publish_notice(
    *, round: EvaluationRound, scope: str, title: str, remarks: str, correction: str = "", by: Any
) -> Notice:
    """The 通报 at one scope; it freezes the counts (as the decisions stand now) and the audit-chain hash at closing.

    A scope that already has a notice gets a new one only with a reason (a corrected title, a decision
    changed since): the new notice replaces the old, which stays readable and says it was replaced.
    Issuing a second notice silently, or discarding what was typed, would both mislead (issue 11 item 12).
    """
    from ..selectors import notice_counts

    round = lock_round(round)
    if not round.is_closed:
        raise ValidationError(_("测评结束并形成评定意见后才能通报。"))
    if scope not in NoticeScope.values:
        raise ValidationError(_("请选择通报范围。"))
    undecided = round.members.filter(decision__isnull=True).count()
    if undecided:
        raise ValidationError(_("还有 %(count)d 名党员没有形成评定意见，暂不能通报。") % {"count": undecided})
    previous = current_notice(round, scope)
    correction = correction.strip()
    if previous is not None and not correction:
        raise ValidationError(
            _(
                "本次测评已于%(date)s向“%(scope)s”发布通报《%(title)s》。再次发布将替代它（原通报保留，"
                "并注明已被替代），请写明再次发布的原因。"
            )
            % {
                "date": f"{timezone.localdate(previous.published_at):%Y-%m-%d}",
                "scope": NoticeScope(scope).label,
                "title": previous.title,
            }
        )
    notice = Notice.objects.create(
        round=round,
        scope=scope,
        title=title.strip() or _("关于%(title)s情况的通报") % {"title": round.title},
        remarks=remarks.strip(),
        supersedes=previous,
        correction=correction if previous else "",
        counts=notice_counts(round),
        audit_hash=round.close_hash,
        published_by=audit.user_of(by),
        published_at=timezone.now(),
    )
    data: dict[str, Any] = {"scope": scope}
    if previous is not None:
        data.update(replaces=previous.pk, reason=correction)
    audit.record(actor=by, action="evaluation.notice_publish", org=round.org, target=notice, data=data)
    return notice
