from datetime import date
from typing import Any

from conftest import add_member, open_campaign
from pingyi.meetings import services

PROVIDES = {"meeting_id", "attendee_id", "commitment_id", "criticism_id", "meetings:plan"}


def samples(world: Any) -> dict[str, Any]:
    """组织生活会 of the branch with the member and one other attendee: one planned (the default), the
    member's criticism and commitment recorded; one held (attendance taken). Form data for each form."""
    campaign = open_campaign(world, "democratic-evaluation")
    secretary = world.users["secretary"]
    other = add_member(world, "参会样本")
    plan = {"kind": "organisational", "theme": "专题组织生活会", "held_on": "2005-02-01"}
    meetings = {
        state: services.plan_meeting(
            campaign=campaign,
            plan=services.Plan(kind="organisational", theme=f"专题组织生活会（{state}）", held_on=date(2005, 2, 1)),
            attendees=[world.people["member"], other],
            by=secretary,
        )
        for state in ("planned", "held")
    }
    attendee = meetings["planned"].attendees.get(person=world.people["member"])
    services.record_member(
        attendee=attendee,
        self_criticism="学习不够深入",
        response="虚心接受",
        criticisms=[services.CriticismInput(other, "服务群众不够耐心")],
        commitments=[services.CommitmentInput("每周学习两次")],
        by=secretary,
    )
    held = meetings["held"]
    services.record_attendance(
        meeting=held, rows=[services.AttendanceRow(a, True, "") for a in held.attendees.all()], by=secretary
    )
    values: dict[str, Any] = {
        "attendee_id": attendee.pk,
        "commitment_id": attendee.commitments.get().pk,
        "criticism_id": attendee.criticisms.get().pk,
        "meetings:plan": {**plan, "attendees": [world.people["member"].pk, other.pk]},
        "meetings:edit": {**plan, "attendees": [world.people["member"].pk, other.pk]},
        "meetings:attendee": {
            "self_criticism": "学习不够深入",
            "response": "虚心接受",
            **{f"{prefix}-{n}": 0 for prefix in ("criticism", "commitment") for n in ("TOTAL_FORMS", "INITIAL_FORMS")},
        },
    }
    for state, meeting in meetings.items():
        values[f"meeting_id@{state}"] = meeting.pk
        values[f"meetings:attendance@{state}"] = {f"present_{a.pk}": "on" for a in meeting.attendees.all()}
    values["meeting_id"], values["meetings:attendance"] = (
        values["meeting_id@planned"],
        values["meetings:attendance@planned"],
    )
    return values
