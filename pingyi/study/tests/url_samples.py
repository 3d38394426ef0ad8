import io
import zipfile
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from pingyi.study import services
from pingyi.study.kinds import load
from pingyi.study.models import ActivityKind, Slot, Status

PROVIDES = {
    "activity_id", "attendance_id", "study:schedule", "study:edit", "study:makeup", "study:settings", "study:cadence",
    "activity_photo_id", "activity_attachment_id", "study:photo_add", "study:attachment_add",
}  # fmt: skip

FORM = {
    "kind": "",
    "title": "学习党章",
    "held_on": "2005-02-01",
    "starts": "09:00",
    "ends": "11:00",
    "place": "三楼会议室",
    "audience": "all",
}


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="JPEG")
    return SimpleUploadedFile("合影.jpg", out.getvalue(), content_type="image/jpeg")


def docx() -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("学习材料.docx", out.getvalue())


def samples(world: Any) -> dict[str, Any]:
    """A study session of the branch on 1 February 2005, the member marked absent (for the make-up)."""
    load(ActivityKind)  # a transactional test before may have flushed the migration's rows
    study = ActivityKind.objects.get(code="study")
    start = timezone.make_aware(datetime(2005, 2, 1, 9))
    activity = services.schedule_activity(
        org=world.orgs["branch"],
        plan=services.Plan(kind=study, title="样本学习", starts_at=start, ends_at=start.replace(hour=11)),
        by=world.users["secretary"],
    )
    absent = services.mark_attendance(
        activity=activity, person=world.people["member"], status=Status.ABSENT, by=world.users["secretary"]
    )
    form = {**FORM, "kind": study.pk}
    services.save_settings(org=world.orgs["branch"], self_checkin=False, photos=True, hours_required=32, by=None)
    photo = services.add_photos(activity=activity, photos=[jpeg()], by=world.users["secretary"])[0]
    attachment = services.add_attachments(activity=activity, files=[docx()], by=world.users["secretary"])[0]
    return {
        "activity_id": activity.pk,
        "attendance_id": absent.pk,
        "activity_photo_id": photo.pk,
        "activity_attachment_id": attachment.pk,
        "study:photo_add": {"photos": jpeg()},
        "study:attachment_add": {"files": docx()},
        "study:schedule": form,
        "study:edit": {**form, "minutes": "学习了党章总纲。"},
        "study:makeup": {"what": "自学党章", "studied_on": "2005-02-03", "confirmed_how": "in_person"},
        "study:settings": {"self_checkin": "on", "hours_required": 32},
        "study:cadence": {
            **{f"{slot}_period": "month" for slot in ("committee_meeting", "group_meeting", "theme_day")},
            "members_meeting_period": "quarter",
            "party_lecture_period": "year",
            **{f"{slot}_count": 1 for slot in Slot.values if slot},
        },
    }
