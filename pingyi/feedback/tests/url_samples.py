from typing import Any

from conftest import open_campaign
from pingyi.feedback import services

PROVIDES = {"feedback_id"}
TEXT = {"strengths": "学习认真。", "problems": "联系群众不够。", "direction": "多下基层。"}


def samples(world: Any) -> dict[str, Any]:
    """The member's feedback in each state, one per democratic-evaluation campaign of the branch: a draft,
    delivered and waiting for acknowledgement (the default), acknowledged; form data for the edit page."""
    secretary = world.users["secretary"]
    values: dict[str, Any] = {}
    for state in ("draft", "delivered", "acknowledged"):
        campaign = open_campaign(world, "democratic-evaluation", title=f"民主评议党员（{state}）")
        feedback = services.draft_feedback(campaign=campaign, person=world.people["member"], by=secretary)
        services.edit_feedback(feedback=feedback, by=secretary, **TEXT)
        if state != "draft":
            services.send_feedback(feedback=feedback, by=secretary)
        if state == "acknowledged":
            services.acknowledge(feedback=feedback, by=world.users["member"])
        values[f"feedback_id@{state}"] = feedback.pk
    return values | {"feedback_id": values["feedback_id@delivered"], "feedback:edit": TEXT}
