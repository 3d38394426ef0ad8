"""Home cards: a round waiting for the viewer's vote, and their 个人讲评 to write (issue 12)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from pingyi.core.hooks import HomeCard

from .models import EvaluationRound, Participation, RoundMember


def cards(user: Any) -> list[HomeCard]:
    if not getattr(user, "is_authenticated", False):
        return []
    # One query: the viewer's places on open rounds, whether they voted, and their self-assessment if any.
    places = (
        RoundMember.objects.filter(person__user=user, round__status=EvaluationRound.Status.OPEN)
        .select_related("round", "self_assessment")
        .annotate(voted=Exists(Participation.objects.filter(member=OuterRef("pk"))))
        .order_by("round_id")
    )
    found = []
    for m in places:
        if not m.voted:
            found.append(
                HomeCard(
                    title=_("民主测评等待您投票：%(title)s") % {"title": m.round.title},
                    url=reverse("evaluation:rate", kwargs={"round_id": m.round_id}),
                    detail=_("无记名，只记录是否参加，不记录投票内容。"),
                )
            )
        assessment = getattr(m, "self_assessment", None)
        if assessment is None or not assessment.is_submitted:
            found.append(
                HomeCard(
                    title=_("个人讲评待提交：%(title)s") % {"title": m.round.title},
                    url=reverse("evaluation:self_assess", kwargs={"round_id": m.round_id}),
                    detail=_("对照党员标准，讲做得怎样、有何不足、今后怎么改；边写边自动保存。")
                    if assessment is None
                    else _("草稿已自动保存，写好后请提交。"),
                )
            )
    return found
