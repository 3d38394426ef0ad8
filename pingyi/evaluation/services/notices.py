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
)
from .rounds import lock_round


@transaction.atomic
def publish_notice(*, round: EvaluationRound, scope: str, title: str, remarks: str, by: Any) -> Notice:
    """The 通报 at one scope; it freezes the counts and the audit-chain hash at closing."""
    from ..selectors import notice_counts

    round = lock_round(round)
    if not round.is_closed:
        raise ValidationError(_("测评结束并形成评定意见后才能通报。"))
    undecided = round.members.filter(decision__isnull=True).count()
    if undecided:
        raise ValidationError(_("还有 %(count)d 名党员没有形成评定意见，暂不能通报。") % {"count": undecided})
    existing = Notice.objects.filter(round=round, scope=scope).first()
    if existing:
        return existing
    notice = Notice.objects.create(
        round=round,
        scope=scope,
        title=title.strip() or _("关于%(title)s情况的通报") % {"title": round.title},
        remarks=remarks.strip(),
        counts=notice_counts(round),
        audit_hash=round.close_hash,
        published_by=audit.user_of(by),
        published_at=timezone.now(),
    )
    audit.record(actor=by, action="evaluation.notice_publish", org=round.org, target=notice, data={"scope": scope})
    return notice
