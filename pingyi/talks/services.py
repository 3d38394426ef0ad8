"""The only place that writes talks and talk requirements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Campaign
from pingyi.core import audit
from pingyi.opinions import services as opinion_services
from pingyi.opinions.selectors import rounds_for
from pingyi.org.models import OrgUnit, Person

from .models import RaisedOpinion, Side, Talk, TalkParticipant, TalkRequirement

if TYPE_CHECKING:
    from pingyi.opinions.models import OpinionRound

SUMMARY_MAX = 2000  # a short summary, not minutes


@dataclass(frozen=True)
class OpinionInput:
    text: str
    concerns_person: Person | None = None


@dataclass(frozen=True)
class Recorded:
    talk: Talk
    created: bool  # False: an identical talk was already recorded (a repeated submit)


@transaction.atomic
def record_talk(
    *,
    campaign: Campaign,
    held_on: date,
    topic: str,
    summary: str,
    side_a: Sequence[Person],
    side_b: Sequence[Person],
    opinions: Sequence[OpinionInput] = (),
    round: OpinionRound | None = None,
    by: Any,
    is_demo: bool = False,
) -> Recorded:
    """Record a talk; each opinion raised also becomes an opinion of `round` when one is given.

    The node is locked so a double submit finds the first talk and changes nothing.
    """
    org = campaign.org
    topic, summary = topic.strip(), summary.strip()
    opinions = [o for o in opinions if o.text.strip()]
    _check(org=org, campaign=campaign, held_on=held_on, topic=topic, summary=summary, side_a=side_a, side_b=side_b)
    if round is not None and not rounds_for(campaign).filter(pk=round.pk).exists():
        raise ValidationError(_("所选征求意见不属于本活动或本组织。"))
    OrgUnit.objects.select_for_update().filter(pk=org.pk).first()
    existing = _same_talk(org, held_on, topic, summary, side_a, side_b)
    if existing is not None:
        return Recorded(talk=existing, created=False)
    talk = Talk.objects.create(
        org=org,
        campaign=campaign,
        held_on=held_on,
        topic=topic,
        summary=summary,
        recorded_by=audit.user_of(by),
        is_demo=is_demo,
    )
    TalkParticipant.objects.bulk_create(
        [TalkParticipant(talk=talk, person=p, side=Side.A) for p in side_a]
        + [TalkParticipant(talk=talk, person=p, side=Side.B) for p in side_b]
    )
    for raised in opinions:
        opinion = None
        if round is not None:
            opinion = opinion_services.record_opinion(
                round=round,
                channel=opinion_services.Channel.TALK,
                text=raised.text,
                concerns_person=raised.concerns_person,
                by=by,
            )
        RaisedOpinion.objects.create(
            talk=talk, text=raised.text.strip(), concerns_person=raised.concerns_person, opinion=opinion
        )
    # The summary is confidential, so the audit log records who and when, never what was said.
    audit.record(
        actor=by,
        action="talks.recorded",
        org=org,
        target=talk,
        data={
            "held_on": held_on.isoformat(),
            "people": sorted(p.pk for p in [*side_a, *side_b]),
            "opinions": len(opinions),
            "round": round.pk if round else None,
        },
    )
    return Recorded(talk=talk, created=True)


def _check(
    *,
    org: OrgUnit,
    campaign: Campaign,
    held_on: date,
    topic: str,
    summary: str,
    side_a: Sequence[Person],
    side_b: Sequence[Person],
) -> None:
    if not side_a or not side_b:
        raise ValidationError(_("谈话双方都至少要有一人。"))
    if {p.pk for p in side_a} & {p.pk for p in side_b}:
        raise ValidationError(_("同一人不能既是谈话人又是谈话对象。"))
    if any(not p.org.is_within(org) for p in [*side_a, *side_b]):
        raise ValidationError(_("谈话人员须是本组织的党员。"))
    if held_on > timezone.localdate():
        raise ValidationError(_("谈话日期不能晚于今天。"))
    if not topic or not summary:
        raise ValidationError(_("请填写谈话主题和谈话摘要。"))
    if len(summary) > SUMMARY_MAX:
        raise ValidationError(_("谈话摘要请控制在%(max)s字以内。") % {"max": SUMMARY_MAX})


def _same_talk(
    org: OrgUnit, held_on: date, topic: str, summary: str, side_a: Sequence[Person], side_b: Sequence[Person]
) -> Talk | None:
    wanted = ({p.pk for p in side_a}, {p.pk for p in side_b})
    for talk in Talk.objects.filter(org=org, held_on=held_on, topic=topic, summary=summary).prefetch_related(
        "participants"
    ):
        sides = talk.sides()
        if (set(sides.side_a), set(sides.side_b)) == wanted:
            return talk
    return None


@transaction.atomic
def add_requirement(
    *, campaign: Campaign, name: str, left: str, right: str, same_group: str, by: Any
) -> TalkRequirement:
    """A campaign's own requirement; adding the same requirement twice keeps the first."""
    if left == "charge":
        raise ValidationError(_("“分管范围”只能作为另一方。"))
    requirement, created = TalkRequirement.objects.get_or_create(
        campaign=campaign,
        left=left,
        right=right,
        same_group=same_group,
        defaults={"name": name.strip(), "created_by": audit.user_of(by)},
    )
    if created:
        audit.record(
            actor=by,
            action="talks.requirement_added",
            org=campaign.org,
            target=requirement,
            data={"name": requirement.name, "left": left, "right": right, "same_group": same_group},
        )
    return requirement


@transaction.atomic
def remove_requirement(*, requirement: TalkRequirement, by: Any) -> None:
    campaign = requirement.campaign
    data = {
        "name": requirement.name,
        "left": requirement.left,
        "right": requirement.right,
        "same_group": requirement.same_group,
    }
    deleted, _rows = TalkRequirement.objects.filter(pk=requirement.pk).delete()
    if deleted:
        audit.record(
            actor=by,
            action="talks.requirement_removed",
            org=campaign.org,
            target=f"talks.talkrequirement:{requirement.pk}",
            data=data,
        )
