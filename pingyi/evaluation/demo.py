"""A demo evaluation round in the demo campaign, run through the whole cycle with the services (so the counters
stay anonymous, exactly as real votes): members away for long are left out of the expected count with the
approval of the level above, everyone else votes, the round closes, the committee decides (two 优秀, one
基本合格, the plain cases at once) and the notice goes to the branch. Written feedback (the feedback app)
then states each member's grade."""

from __future__ import annotations

import random

from pingyi.campaigns.models import Campaign
from pingyi.core.hooks import DEMO, DEMO_ACTOR
from pingyi.org.models import MemberStatus, OrgUnit, Person

from . import services
from .models import EvaluationRound

SELF = "认真学习党章和先进性教育的各项材料，按时参加组织生活；对照党员标准，服务群众的主动性还不够，今后要多下基层。"
AWAY = {
    MemberStatus.AWAY: "外出务工半年以上，未转组织关系",
    MemberStatus.LEFT_POST: "离岗退养，长期在外地居住",
}


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
    away = [m for m in members if m.person.status in AWAY]
    for member in away:
        exclusion = services.request_exclusion(
            round=round, member=member, reason=AWAY[MemberStatus(member.person.status)], by=DEMO_ACTOR
        )
        services.decide_exclusion(exclusion=exclusion, approve=True, by=DEMO_ACTOR)
    graded = [m.pk for m in members if m.graded]
    rng = random.Random(2005)  # the same demo every time
    voters = [m for m in members if m not in away]
    for member in voters[:3]:
        services.save_self_assessment(
            round=round, person=member.person, text=SELF, grade=1 if member.graded else None, by=DEMO_ACTOR
        )
    for member in voters:
        ballot = {pk: rng.choice((0, 1, 1, 1, 1, 2)) for pk in graded if pk != member.pk}
        dims = {(pk, dim): rng.choice((0, 1, 1, 2)) for pk in ballot for dim in (1, 2, 3) if rng.random() < 0.8}
        services.cast_vote(round=round, rater=member.person, grades=ballot, dimension_grades=dims, by=DEMO_ACTOR)
    round = services.close_round(round=round, by=DEMO_ACTOR)
    _decide(round, people)
    services.publish_notice(round=round, scope="branch", title="", remarks="", by=DEMO_ACTOR)


def _decide(round: EvaluationRound, people: dict[str, Person]) -> None:
    by = DEMO_ACTOR
    member = people.get("member")
    for login in ("leader", "committee"):  # two 优秀, within the cap
        if login in people:
            services.decide(
                member=round.members.get(person=people[login]),
                grade=0,
                opinion="带头学习，带头整改，在服务群众中发挥了先锋模范作用。",
                reason="测评结果较好，一贯表现突出。",
                by=by,
            )
    if member is not None:  # the demo member's login shows a 基本合格 letter and what follows it
        services.decide(
            member=round.members.get(person=member),
            grade=2,
            opinion="能够参加组织生活，但联系服务对象不够主动，学习笔记记得不够认真。",
            reason="征求意见中服务对象反映办事要多次往返；学习笔记检查不合要求。",
            by=by,
        )
    services.decide_remaining(
        round=round,
        members=round.members.filter(decision__isnull=True),
        grade=1,
        opinion="理想信念坚定，能够履行党员义务，遵守纪律规矩。",
        reason="测评结果与一贯表现一致。",
        by=by,
    )
