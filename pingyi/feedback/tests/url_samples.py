from typing import Any

from django.utils import timezone

from pingyi.campaigns import services as campaigns
from pingyi.campaigns.models import CampaignTemplate
from pingyi.feedback import services

PROVIDES = {"feedback_id"}


def samples(world: Any) -> dict[str, Any]:
    """The member's feedback in a campaign of the branch, delivered and waiting for acknowledgement."""
    secretary = world.users["secretary"]
    campaign = campaigns.create_campaign(
        org=world.orgs["branch"],
        template=CampaignTemplate.objects.get(code="democratic-evaluation"),
        title="",
        starts_on=timezone.localdate(),
        by=secretary,
    )
    feedback = services.draft_feedback(campaign=campaign, person=world.people["member"], by=secretary)
    services.edit_feedback(
        feedback=feedback, by=secretary, strengths="学习认真。", problems="联系群众不够。", direction="多下基层。"
    )
    services.send_feedback(feedback=feedback, by=secretary)
    return {"feedback_id": feedback.pk}
