"""Home cards: a member's unread study plan; for those who keep in touch, the members away or retired whom
nobody has contacted for three months."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pingyi.campaigns.models import Campaign, Stage
from pingyi.core.hooks import HomeCard
from pingyi.org.models import OrgType, person_of
from pingyi.org.permissions import Cap, orgs_with

from .models import Contact, StudyPlan
from .selectors import away_or_retired

QUIET_DAYS = 90


def cards(user: Any) -> list[HomeCard]:
    if not getattr(user, "is_authenticated", False):
        return []
    return _unread_plans(user) + _quiet_members(user)


def _unread_plans(user: Any) -> list[HomeCard]:
    me = person_of(user, member_only=True)
    if me is None:
        return []
    plans = (
        StudyPlan.objects.filter(campaign__org_id__in=me.org.ancestor_ids(), campaign__status=Campaign.Status.OPEN)
        .exclude(stage__status=Stage.Status.CLOSED)
        .exclude(reads__person=me)
        .select_related("stage")
    )
    return [
        HomeCard(
            title=_("学习计划待阅：%(title)s") % {"title": plan.title},
            url=reverse("outreach:plan", args=[plan.campaign_id, plan.stage.order]),
            detail=_("读完后点“已阅”。"),
        )
        for plan in plans[:3]
    ]


def _quiet_members(user: Any) -> list[HomeCard]:
    found = []
    since = timezone.localdate() - timedelta(days=QUIET_DAYS)
    for org in orgs_with(user, Cap.MANAGE_OUTREACH).filter(type=OrgType.BRANCH).order_by("path")[:3]:
        recent = Contact.objects.filter(contacted_on__gte=since).values("person_id")
        quiet = away_or_retired(org).exclude(pk__in=recent).count()
        if quiet:
            found.append(
                HomeCard(
                    title=ngettext(
                        "%(n)d 名外出、离退休党员三个月没有联系", "%(n)d 名外出、离退休党员三个月没有联系", quiet
                    )
                    % {"n": quiet},
                    url=reverse("outreach:contacts", args=[org.code]),
                    detail=org.name,
                    tone="warning",
                )
            )
    return found
