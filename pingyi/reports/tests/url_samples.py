from typing import Any

from pingyi.campaigns.models import Campaign
from pingyi.reports import services

PROVIDES = {"stage_order", "stage_summary_id"}


def samples(world: Any) -> dict[str, Any]:
    """A saved version of the summary of the first stage of the branch's campaign (campaigns' sample)."""
    campaign = Campaign.objects.filter(org=world.orgs["branch"]).order_by("-id").first()
    if campaign is None:
        from conftest import open_campaign

        campaign = open_campaign(world)
    stage = campaign.stages.get(order=1)
    summary = services.save_summary(stage=stage, notes={}, by=world.users["secretary"])
    return {"stage_order": 1, "stage_summary_id": summary.pk}
