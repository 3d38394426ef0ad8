"""A demo evaluation round in the demo campaign: open, with self-assessments and a few ballots cast
through the services (so the counters stay anonymous, exactly as real votes)."""

from __future__ import annotations

import random

from pingyi.campaigns.models import Campaign
from pingyi.core.hooks import DEMO, DEMO_ACTOR
from pingyi.org.models import OrgUnit, Person

from . import services
from .models import EvaluationRound

SELF = "认真学习党章和先进性教育的各项材料，按时参加组织生活；对照党员标准，服务群众的主动性还不够，今后要多下基层。"


def seed(nodes: dict[str, OrgUnit], people: dict[str, Person]) -> None:
    branch = nodes["branch"]
    if EvaluationRound.objects.filter(org=branch, is_demo=True).exists():
        return
    campaign = Campaign.objects.filter(org=branch, is_demo=True).first()
    if campaign is None:
        return
    round = services.create_round(
        campaign=campaign,
        org=branch,
        title=f"党员民主测评{DEMO}",
        by=DEMO_ACTOR,
        is_demo=True,
        dimensions=["理想信念", "纪律规矩", "服务群众"],
    )
    round = services.open_round(round=round, by=DEMO_ACTOR)
    members = list(round.members.select_related("person").order_by("pk"))
    graded = [m.pk for m in members if m.graded]
    rng = random.Random(2005)  # the same demo every time
    # Six members have voted; the ones with demo logins are left to try the ballot themselves.
    voters = [m for m in members if m.person.user_id is None][:6]
    for member in voters:
        ballot = {pk: rng.choice((0, 1, 1, 1, 2)) for pk in graded if pk != member.pk}
        services.cast_vote(round=round, rater=member.person, grades=ballot, by=DEMO_ACTOR)
    for member in voters[:3]:
        services.save_self_assessment(
            round=round, person=member.person, text=SELF, grade=1 if member.graded else None, by=DEMO_ACTOR
        )
