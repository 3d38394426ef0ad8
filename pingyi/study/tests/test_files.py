"""An activity's photos (only where the branch turned them on) and its materials' attachments: checked by
content before anything is kept, shown or downloaded by who sees the activity, removed with an audit entry."""

import io
import uuid
import zipfile
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from conftest import World
from pingyi.core.models import AuditEntry
from pingyi.study import services
from pingyi.study.models import ActivityAttachment, ActivityPhoto

from .conftest import schedule

pytestmark = pytest.mark.django_db


def photo(name: str = "合影.jpg") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (30.0, 1.0, 2.0)}
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def docx(name: str = "讲话稿.docx") -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, out.getvalue())


def photos_on(world: World) -> None:
    services.save_settings(org=world.orgs["branch"], self_checkin=False, photos=True, hours_required=32, by=None)


def test_with_photos_off_the_page_has_no_upload_and_the_post_is_refused(world: World) -> None:
    activity = schedule(world)
    client = world.client("secretary")
    assert 'id="photo-form"' not in client.get(f"/study/{activity.pk}/").content.decode()
    response = client.post(f"/study/{activity.pk}/photos/", {"photos": photo()}, follow=True)
    assert "没有开启活动照片" in response.content.decode()
    assert not ActivityPhoto.objects.exists()


def test_photos_are_cleaned_shown_to_the_branch_and_removed_with_an_audit_entry(world: World) -> None:
    activity = schedule(world)
    photos_on(world)
    secretary = world.client("secretary")
    assert 'id="photo-form"' in secretary.get(f"/study/{activity.pk}/").content.decode()
    secretary.post(f"/study/{activity.pk}/photos/", {"photos": [photo(), photo("二.jpg")]})
    kept = list(ActivityPhoto.objects.filter(activity=activity))
    assert len(kept) == 2
    assert not Image.open(io.BytesIO(bytes(kept[0].content))).getexif()  # the position is gone
    member = world.client("member")
    assert f"/study/photos/{kept[0].pk}/" in member.get(f"/study/{activity.pk}/").content.decode()
    shown = member.get(f"/study/photos/{kept[0].pk}/")
    assert shown["Content-Type"] == "image/jpeg" and shown["X-Content-Type-Options"] == "nosniff"
    assert world.client("outsider").get(f"/study/photos/{kept[0].pk}/").status_code == 404
    assert member.post(f"/study/photos/{kept[0].pk}/remove/").status_code == 403
    secretary.post(f"/study/photos/{kept[0].pk}/remove/")
    assert list(ActivityPhoto.objects.values_list("pk", flat=True)) == [kept[1].pk]
    assert secretary.post(f"/study/photos/{kept[0].pk}/remove/").status_code == 404  # a second tap: nothing
    assert AuditEntry.objects.get(action="study.photo_removed").data["photo"] == kept[0].pk


def test_a_bad_photo_among_good_ones_saves_none(world: World) -> None:
    activity = schedule(world)
    photos_on(world)
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90 not a picture")
    response = world.client("secretary").post(f"/study/{activity.pk}/photos/", {"photos": [photo(), fake]}, follow=True)
    assert "“照片.jpg”不是 JPG、PNG 或 WebP 格式的照片" in response.content.decode()
    assert not ActivityPhoto.objects.exists() and not AuditEntry.objects.filter(action="study.photos_added").exists()


def test_an_attachment_is_downloaded_under_its_name_by_the_branch_and_refused_when_it_lies(world: World) -> None:
    activity = schedule(world)
    secretary = world.client("secretary")
    secretary.post(f"/study/{activity.pk}/attachments/", {"files": [docx()]})
    kept = ActivityAttachment.objects.get()
    response = world.client("member").get(f"/study/attachments/{kept.pk}/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert unquote(response["Content-Disposition"]) == "attachment; filename*=UTF-8''讲话稿.docx"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert world.client("supervisor").get(f"/study/attachments/{kept.pk}/").status_code == 200
    assert world.client("outsider").get(f"/study/attachments/{kept.pk}/").status_code == 404
    renamed = SimpleUploadedFile("通知.pdf", b"MZ\x90\x00 a program")
    refused = secretary.post(f"/study/{activity.pk}/attachments/", {"files": [renamed]}, follow=True)
    assert "“通知.pdf”的内容与扩展名不符" in refused.content.decode()
    assert ActivityAttachment.objects.count() == 1
    secretary.post(f"/study/attachments/{kept.pk}/remove/")
    assert not ActivityAttachment.objects.exists()
    assert AuditEntry.objects.filter(action__startswith="study.attachment").count() == 2


def test_a_double_submitted_upload_keeps_one_copy(world: World) -> None:
    activity = schedule(world)
    client = world.client("secretary")
    data = {"once": uuid.uuid4().hex}
    client.post(f"/study/{activity.pk}/attachments/", {**data, "files": [docx()]})
    client.post(f"/study/{activity.pk}/attachments/", {**data, "files": [docx()]})
    assert ActivityAttachment.objects.count() == 1
