"""Home cards: opinions waiting for the office to categorise and answer, per round."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pingyi.core.hooks import HomeCard
from pingyi.org.models import under
from pingyi.org.permissions import Cap, paths_with

from .models import Opinion, OpinionStatus


def cards(user: Any) -> list[HomeCard]:
    paths = paths_with(user, Cap.MANAGE_OPINIONS)
    if not paths:
        return []
    scope = under(*paths, via="round__org")
    waiting = (
        Opinion.objects.filter(scope, status=OpinionStatus.NEW)
        .values("round_id", "round__title")
        .annotate(n=Count("id"))
        .order_by("-n", "round_id")[:3]
    )
    return [
        HomeCard(
            title=ngettext("%(n)d条意见待处理：%(round)s", "%(n)d条意见待处理：%(round)s", row["n"])
            % {"n": row["n"], "round": row["round__title"]},
            url=reverse("opinions:round", kwargs={"opinion_round_id": row["round_id"]}) + "?status=new",
            detail=_("分类、合并重复意见并答复。"),
            tone="warning",
        )
        for row in waiting
    ]
