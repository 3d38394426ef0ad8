from typing import Any

from django.utils import timezone

from pingyi.campaigns import services
from pingyi.campaigns.models import CampaignTemplate


def samples(world: Any) -> dict[str, Any]:
    """A campaign of the branch, opened from a shipped template, with its first stage open."""
    campaign = services.create_campaign(
        org=world.orgs["branch"],
        template=CampaignTemplate.objects.get(code="advanced-nature-education"),
        title="",
        starts_on=timezone.localdate(),
        by=world.users["secretary"],
    )
    stage = campaign.stages.get(order=1)
    excusal = services.excuse(campaign=campaign, person=world.people["member"], reason="长期外出", by=None)
    return {
        "campaign_id": campaign.pk,
        "stage_id": stage.pk,
        "lookback_id": stage.lookback_items.first().pk,
        "excusal_id": excusal.pk,
    }
