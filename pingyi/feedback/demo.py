"""Demo feedback: drafts from the demo record for the branch, and one delivered to the demo member's login."""

from __future__ import annotations

from pingyi.campaigns.models import Campaign
from pingyi.core.hooks import DEMO_ACTOR
from pingyi.org.models import OrgUnit, Person

from . import services
from .models import Feedback


def seed(nodes: dict[str, OrgUnit], people: dict[str, Person]) -> None:
    campaign = Campaign.objects.filter(org=nodes["branch"], is_demo=True).first()
    if campaign is None or Feedback.objects.filter(campaign=campaign, is_demo=True).exists():
        return
    for key in ("member", "committee", "leader"):
        if key in people:
            services.draft_feedback(campaign=campaign, person=people[key], by=DEMO_ACTOR, is_demo=True)
    member = Feedback.objects.get(campaign=campaign, person=people["member"])
    # The record of a demo campaign is thin; the secretary's edits fill what it cannot say.
    services.edit_feedback(
        feedback=member,
        by=DEMO_ACTOR,
        strengths=member.strengths or "学习态度端正，能按时参加集中学习和组织生活。",
        problems=member.problems or "联系服务对象不够主动，学习笔记记得不够认真。",
        direction=member.direction or "每月到服务窗口值班一次，每周整理学习笔记。",
    )
    services.send_feedback(feedback=member, by=DEMO_ACTOR)
