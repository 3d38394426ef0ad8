"""Home cards: a round waiting for the viewer's vote."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pingyi.core.hooks import HomeCard

from .models import EvaluationRound, RoundMember


def cards(user: Any) -> list[HomeCard]:
    if not getattr(user, "is_authenticated", False):
        return []
    waiting = (
        RoundMember.objects.filter(person__user=user, round__status=EvaluationRound.Status.OPEN, participations=None)
        .select_related("round")
        .order_by("round_id")
    )
    return [
        HomeCard(
            title=_("民主测评等待您投票：%(title)s") % {"title": m.round.title},
            url=reverse("evaluation:rate", kwargs={"round_id": m.round_id}),
            detail=_("无记名，只记录是否参加，不记录投票内容。"),
        )
        for m in waiting
    ]
