from datetime import date
from typing import Any

from django.utils import timezone

from pingyi.campaigns import services as campaigns
from pingyi.campaigns.models import CampaignTemplate
from pingyi.org import services as org_services
from pingyi.org.models import MemberCategory
from pingyi.talks import services

PROVIDES = {"talk_id", "talk_requirement_id"}


def samples(world: Any) -> dict[str, Any]:
    """A talk between the member and a committee member; a campaign's own requirement."""
    campaign = campaigns.create_campaign(
        org=world.orgs["branch"],
        template=CampaignTemplate.objects.get(code="democratic-evaluation"),
        title="",
        starts_on=date(2005, 1, 10),
        by=world.users["secretary"],
    )
    other = org_services.save_person(org=world.orgs["branch"], by=None, name="谈话样本", category=MemberCategory.FORMAL)
    talk = services.record_talk(
        campaign=campaign,
        held_on=timezone.localdate(),
        topic="样本谈话",
        summary="保密的摘要",
        side_a=[other],
        side_b=[world.people["member"]],
        by=world.users["secretary"],
    ).talk
    requirement = services.add_requirement(
        campaign=campaign, name="领导与分管", left="leader", right="charge", same_group="never", by=None
    )
    return {"talk_id": talk.pk, "talk_requirement_id": requirement.pk}
