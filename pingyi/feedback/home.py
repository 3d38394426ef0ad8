"""Home card: written feedback delivered to the member and waiting for their acknowledgement."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pingyi.core.hooks import HomeCard

from .models import Feedback, FeedbackStatus


def cards(user: Any) -> list[HomeCard]:
    if not getattr(user, "is_authenticated", False):
        return []
    waiting = Feedback.objects.filter(person__user=user, status=FeedbackStatus.SENT).select_related("campaign")
    return [
        HomeCard(
            title=_("书面反馈待确认"),
            url=reverse("feedback:detail", kwargs={"feedback_id": f.pk}),
            detail=_("%(campaign)s：请阅读支部给你的评议反馈并确认收到。") % {"campaign": f.campaign.title},
            tone="warning",
        )
        for f in waiting
    ]
