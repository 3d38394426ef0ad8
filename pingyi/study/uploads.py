"""The services that write an activity's photos and material attachments (re-exported by services.py, the
app's one door for writes). Every file is checked before anything is written: one bad file saves none."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pingyi.core import audit
from pingyi.core.attachments import check_attachment
from pingyi.core.images import clean_image

from .models import Activity, ActivityAttachment, ActivityPhoto
from .selectors import settings_for

MAX_PHOTOS = 12  # an activity's photos in all: a few pictures of the meeting, not a record of every minute
MAX_ATTACHMENTS = 20


@transaction.atomic
def add_photos(*, activity: Activity, photos: Sequence[Any], by: Any) -> list[ActivityPhoto]:
    """Photos of the activity, only where the branch turned photos on; each cleaned by core.images."""
    if not settings_for(activity.org).photos:
        raise ValidationError(_("本支部没有开启活动照片：按减负要求，学习活动不需要拍照留痕。"))
    if not photos:
        raise ValidationError(_("请选择要上传的照片。"))
    Activity.objects.select_for_update().filter(pk=activity.pk).first()  # two uploads at once: counted in turn
    if activity.photos.count() + len(photos) > MAX_PHOTOS:
        raise ValidationError(_("一次活动的照片最多 %(n)d 张。") % {"n": MAX_PHOTOS})
    cleaned = [clean_image(p) for p in photos]  # before any write: a bad photo saves nothing
    user = audit.user_of(by)
    kept = ActivityPhoto.objects.bulk_create(
        [ActivityPhoto.of(c, activity=activity, uploaded_by=user) for c in cleaned]
    )
    audit.record(actor=by, action="study.photos_added", org=activity.org, target=activity, data={"photos": len(kept)})
    return kept


@transaction.atomic
def remove_photo(*, photo: ActivityPhoto, by: Any) -> None:
    activity = photo.activity
    data = {"photo": photo.pk, "filename": photo.filename}
    photo.delete()
    audit.record(actor=by, action="study.photo_removed", org=activity.org, target=activity, data=data)


@transaction.atomic
def add_attachments(*, activity: Activity, files: Sequence[Any], by: Any) -> list[ActivityAttachment]:
    """Files of the activity's study materials; each checked by its content (core.attachments)."""
    if not files:
        raise ValidationError(_("请选择要上传的文件。"))
    Activity.objects.select_for_update().filter(pk=activity.pk).first()
    if activity.attachments.count() + len(files) > MAX_ATTACHMENTS:
        raise ValidationError(_("一次活动的学习材料附件最多 %(n)d 个。") % {"n": MAX_ATTACHMENTS})
    checked = [check_attachment(f) for f in files]  # before any write: a refused file saves nothing
    user = audit.user_of(by)
    kept = ActivityAttachment.objects.bulk_create(
        [ActivityAttachment.of(c, activity=activity, uploaded_by=user) for c in checked]
    )
    audit.record(
        actor=by,
        action="study.attachments_added",
        org=activity.org,
        target=activity,
        data={"files": [a.filename for a in kept]},
    )
    return kept


@transaction.atomic
def remove_attachment(*, attachment: ActivityAttachment, by: Any) -> None:
    activity = attachment.activity
    data = {"attachment": attachment.pk, "filename": attachment.filename}
    attachment.delete()
    audit.record(actor=by, action="study.attachment_removed", org=activity.org, target=activity, data=data)
