from typing import Any

from django.utils import timezone

from pingyi.campaigns import services as campaigns
from pingyi.campaigns.models import CampaignTemplate
from pingyi.writings import services
from pingyi.writings.models import REFLECTION_RULE

PROVIDES = {"writing_id"}


def samples(world: Any) -> dict[str, Any]:
    """The member's reflection, submitted and awaiting review, in the campaign the campaigns samples use."""
    campaign = campaigns.create_campaign(  # the same arguments return the same campaign
        org=world.orgs["branch"],
        template=CampaignTemplate.objects.get(code="advanced-nature-education"),
        title="",
        starts_on=timezone.localdate(),
        by=world.users["secretary"],
    )
    item = campaign.stages.get(order=1).work_items.get(rule=REFLECTION_RULE)
    member = world.users["member"]
    writing = services.start_writing(work_item=item, author=world.people["member"], by=member)
    services.save_draft(writing=writing, by=member, title="学习心得", text="学习党章，对照检查。")
    services.submit_writing(writing=writing, by=member)
    return {"writing_id": writing.pk}
