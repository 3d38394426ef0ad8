from typing import Any

from django.utils import timezone

from conftest import add_member, open_campaign
from pingyi.talks import services

PROVIDES = {"talk_id", "talk_requirement_id", "talks:record"}


def samples(world: Any) -> dict[str, Any]:
    """A talk between the member and a committee member; a campaign's own requirement."""
    campaign = open_campaign(world, "democratic-evaluation")
    other = add_member(world, "谈话样本")
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
    return {
        "talk_id": talk.pk,
        "talk_requirement_id": requirement.pk,
        # A talk between the member and the other member, recorded on the campaigns samples' campaign_id.
        "talks:record": {
            "held_on": "2005-02-01",
            "side_a": [world.people["member"].pk],
            "side_b": [other.pk],
            "topic": "谈心",
            "summary": "交流学习体会",
            "opinion-TOTAL_FORMS": 0,
            "opinion-INITIAL_FORMS": 0,
        },
    }
