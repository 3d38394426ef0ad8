"""Samples for the URL matrix: the study plan of stage 1 of the branch's campaign, a liaison point with a
good deed and its photo (the branch has photos on), and form data that the managing roles can save."""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from pingyi.campaigns.models import Campaign
from pingyi.outreach import services

PROVIDES = {
    "study_plan_id", "liaison_point_id", "deed_photo_id", "material_file_id", "outreach:plan", "outreach:materials",
    "outreach:contact_add", "outreach:liaison", "outreach:visit_add", "outreach:deed_add", "outreach:settings",
}  # fmt: skip


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="JPEG")
    return SimpleUploadedFile("实事.jpg", out.getvalue(), content_type="image/jpeg")


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("读本.pdf", b"%PDF-1.4\n%sample\n", content_type="application/pdf")


def samples(world: Any) -> dict[str, Any]:
    branch, member = world.orgs["branch"], world.people["member"]
    campaign = Campaign.objects.filter(org=branch).order_by("-id").first()
    if campaign is None:
        from conftest import open_campaign

        campaign = open_campaign(world)
    by = world.users["secretary"]
    plan = services.issue_plan(stage=campaign.stages.get(order=1), title="学习计划", body="每周五下午集中学习", by=by)
    point = services.add_point(org=branch, name="东垅村", kind="village", leaders=[member], by=by)
    services.set_photos(org=branch, enabled=True, by=by)
    today = timezone.localdate().isoformat()
    deed = services.record_good_deed(
        org=branch, done_on=timezone.localdate(), what="修缮村道", beneficiary="东垅村村民", doers=[member],
        point=point, photos=[jpeg()], by=by,
    )  # fmt: skip
    retired = world.people.get("retired")
    material = services.record_material(
        org=branch, title="《党章》学习读本", issued_on=timezone.localdate(), copies=[pdf()], by=by
    )
    return {
        "study_plan_id": plan.pk,
        "liaison_point_id": point.pk,
        "deed_photo_id": deed.photos.get().pk,
        "material_file_id": material.files.get().pk,
        "outreach:plan": {"title": "学习计划（修订）", "body": "每周五下午集中学习"},
        "outreach:materials": {"title": "《保持共产党员先进性教育读本》", "issued_on": today, "copies": pdf()},
        "outreach:contact_add": {
            "person": retired.pk if retired else "",
            "kind": "phone",
            "contacted_on": today,
            "contacted_by": "书记",
            "result": "已转告学习安排",
        },
        "outreach:liaison": {"name": "社区服务中心", "kind": "point", "leaders": [member.pk]},
        "outreach:visit_add": {"kind": "visit", "held_on": today, "people": [member.pk]},
        "outreach:deed_add": {
            "done_on": today,
            "what": "帮助办理社保转移",
            "beneficiary": "村民张某",
            "doers": [member.pk],
        },
        "outreach:settings": {"photos": "on"},
    }
