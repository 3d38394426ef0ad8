"""Home cards: a member's returned pieces to revise; a reviewer's pieces awaiting review, per campaign."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pingyi.core.hooks import HomeCard

from .models import Writing
from .selectors import review_queue


def cards(user: Any) -> list[HomeCard]:
    if not getattr(user, "is_authenticated", False):
        return []
    returned = Writing.objects.filter(author__user=user, status=Writing.Status.RETURNED).only("id", "title")
    found = [
        HomeCard(
            title=_("文稿已退回"),
            url=reverse("writings:edit", kwargs={"writing_id": w.pk}),
            detail=_("《%(title)s》已退回，请按审阅意见修改后重新提交。") % {"title": w.title},
            tone="warning",
        )
        for w in returned
    ]
    return found + _awaiting_review(user)


def _awaiting_review(user: Any) -> list[HomeCard]:
    """One card per campaign with pieces waiting for this reviewer: the count of the review queue."""
    waiting = (
        review_queue(user)
        .order_by()
        .values("campaign_id", "campaign__title")
        .annotate(n=Count("id"))
        .order_by("campaign_id")
    )
    return [
        HomeCard(
            title=_("文稿待审阅"),
            url=reverse("writings:queue", kwargs={"campaign_id": row["campaign_id"]}),
            detail=ngettext(
                "%(campaign)s：%(n)d 份文稿等待你审阅。", "%(campaign)s：%(n)d 份文稿等待你审阅。", row["n"]
            )
            % {"campaign": row["campaign__title"], "n": row["n"]},
        )
        for row in waiting
    ]
