from typing import Any

from conftest import open_campaign
from pingyi.campaigns import services


def samples(world: Any) -> dict[str, Any]:
    """The campaign of the branch (the root conftest's open_campaign), its first stage open with its
    look-back list ticked, so the stage can be signed off."""
    campaign = open_campaign(world)
    stage = campaign.stages.get(order=1)
    for item in stage.lookback_items.all():
        services.check_lookback_item(item=item, by=world.users["secretary"])
    excusal = services.excuse(campaign=campaign, person=world.people["member"], reason="长期外出", by=None)
    return {
        "campaign_id": campaign.pk,
        "stage_id": stage.pk,
        "lookback_id": stage.lookback_items.first().pk,
        "excusal_id": excusal.pk,
    }
