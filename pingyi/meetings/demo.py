"""One planned demo meeting: the branch's 专题组织生活会 a week ahead, the supervision group attending."""

from __future__ import annotations

from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from pingyi.campaigns.models import Campaign
from pingyi.core.hooks import DEMO
from pingyi.opinions.selectors import rounds_for
from pingyi.org.models import OrgUnit, Person

from . import services
from .forms import DEFAULT_AGENDA
from .models import Kind, LifeMeeting
from .selectors import default_attendees, supervision_people


def seed(nodes: dict[str, OrgUnit], people: dict[str, Person]) -> None:
    branch = nodes["branch"]
    campaign = Campaign.objects.filter(org=branch, is_demo=True).first()
    if campaign is None or LifeMeeting.objects.filter(org=branch, is_demo=True).exists():
        return
    plan = services.Plan(
        kind=Kind.ORGANISATIONAL,
        theme=f"保持共产党员先进性专题组织生活会{DEMO}",
        held_on=timezone.localdate() + timedelta(days=7),
        starts_at=time(14, 30),
        place="局三楼会议室",
        chair=people.get("secretary"),
        recorder=people.get("committee"),
        agenda=str(DEFAULT_AGENDA[Kind.ORGANISATIONAL]),
        opinion_round=rounds_for(campaign).first(),
    )
    services.plan_meeting(
        campaign=campaign,
        plan=plan,
        attendees=list(default_attendees(branch, Kind.ORGANISATIONAL)),
        supervisors=list(supervision_people(branch)),
        by=get_user_model().objects.filter(username="secretary").first(),
        is_demo=True,
    )
