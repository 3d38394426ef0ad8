from datetime import date
from typing import Any

from pingyi.campaigns import services as campaigns
from pingyi.campaigns.models import CampaignTemplate
from pingyi.meetings import services
from pingyi.org import services as org_services
from pingyi.org.models import MemberCategory

PROVIDES = {"meeting_id", "attendee_id", "commitment_id", "criticism_id"}


def samples(world: Any) -> dict[str, Any]:
    """A planned 组织生活会 of the branch with the member and one other attendee, one criticism and one commitment."""
    campaign = campaigns.create_campaign(
        org=world.orgs["branch"],
        template=CampaignTemplate.objects.get(code="democratic-evaluation"),
        title="",
        starts_on=date(2005, 1, 10),
        by=world.users["secretary"],
    )
    other = org_services.save_person(org=world.orgs["branch"], by=None, name="参会样本", category=MemberCategory.FORMAL)
    meeting = services.plan_meeting(
        campaign=campaign,
        plan=services.Plan(kind="organisational", theme="专题组织生活会", held_on=date(2005, 2, 1)),
        attendees=[world.people["member"], other],
        by=world.users["secretary"],
    )
    attendee = meeting.attendees.get(person=world.people["member"])
    services.record_member(
        attendee=attendee,
        self_criticism="学习不够深入",
        response="虚心接受",
        criticisms=[services.CriticismInput(other, "服务群众不够耐心")],
        commitments=[services.CommitmentInput("每周学习两次")],
        by=world.users["secretary"],
    )
    return {
        "meeting_id": meeting.pk,
        "attendee_id": attendee.pk,
        "commitment_id": attendee.commitments.get().pk,
        "criticism_id": attendee.criticisms.get().pk,
    }
