"""Home card: a test the member can sit now, or one they started and have not submitted."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core.hooks import HomeCard
from pingyi.org.models import person_of

from .models import AnswerSheet, MakeupSeat, Sitting


def cards(user: Any) -> list[HomeCard]:
    person = person_of(user, member_only=True)
    if person is None:
        return []
    now = timezone.now()
    unfinished = AnswerSheet.objects.filter(person=person, submitted_at__isnull=True, due_at__gt=now).first()
    if unfinished:
        return [HomeCard(title=_("您有一份试卷还没有交"), url=reverse("exams:sheet", args=[unfinished.pk]))]
    seated = MakeupSeat.objects.filter(person=person).values("sitting_id")
    open_now = (
        Sitting.objects.filter(opens_at__lte=now, closes_at__gt=now, org__path__in=_paths(person.org.path))
        .filter(Q(makeup_of__isnull=True) | Q(pk__in=seated))
        .exclude(sheets__person=person)
        .first()
    )
    if open_now:
        return [
            HomeCard(
                title=_("“%(title)s”正在进行，可以答题") % {"title": open_now.title},
                url=reverse("exams:campaign", args=[open_now.campaign_id]),
            )
        ]
    return []


def _paths(path: str) -> list[str]:
    """The node's own path and its ancestors' (a sitting held above the branch is for its members too)."""
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
