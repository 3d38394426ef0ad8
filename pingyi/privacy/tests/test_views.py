import io
import zipfile

from django.urls import reverse

from conftest import World
from pingyi.org.models import Person

from .conftest import Record


def test_member_downloads_their_own_data(world: World, record: Record) -> None:
    client = world.client("member")
    page = client.get(reverse("privacy:mine"))
    assert page.status_code == 200 and "下载我的个人信息" in page.content.decode()
    response = client.post(reverse("privacy:mine_export"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "data.json" in archive.namelist()


def test_export_needs_post(world: World, record: Record) -> None:
    assert world.client("member").get(reverse("privacy:mine_export")).status_code == 405
    url = reverse("privacy:person_export", kwargs={"person_id": record.person.pk})
    assert world.client("secretary").get(url).status_code == 405


def test_anonymous_is_sent_to_log_in(world: World, record: Record) -> None:
    response = world.client("anonymous").post(reverse("privacy:mine_export"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_staff_page_outsider_and_read_only_roles(world: World, record: Record) -> None:
    url = reverse("privacy:person", kwargs={"person_id": record.person.pk})
    assert world.client("secretary").get(url).status_code == 200
    assert world.client("committee").get(url).status_code == 403
    assert world.client("supervisor").get(url).status_code == 403
    assert world.client("outsider").get(url).status_code == 404


def test_anonymise_without_confirming_keeps_everything_and_says_why(world: World, record: Record) -> None:
    url = reverse("privacy:person_anonymise", kwargs={"person_id": record.person.pk})
    response = world.client("secretary").post(url, {"ground": "left", "note": "调往外地"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "调往外地" in page and "这个字段是必填项" in page
    assert Person.objects.get(pk=record.person.pk).name == "王党员"


def test_anonymise_through_the_page(world: World, record: Record) -> None:
    url = reverse("privacy:person_anonymise", kwargs={"person_id": record.person.pk})
    client = world.client("secretary")
    response = client.post(url, {"ground": "left", "confirm": "on"})
    assert response.status_code == 302
    assert Person.objects.get(pk=record.person.pk).id_number is None
    again = client.post(url, {"ground": "left", "confirm": "on"})  # a second click
    assert again.status_code == 200 and "已经匿名化" in again.content.decode()


def test_blockers_are_shown_instead_of_the_form(world: World, record: Record) -> None:
    from pingyi.rectification.models import ItemStatus, RectificationItem

    RectificationItem.objects.filter(owner=record.person).update(status=ItemStatus.IN_PROGRESS)
    page = world.client("secretary").get(reverse("privacy:person", kwargs={"person_id": record.person.pk}))
    assert "整改事项尚未完成" in page.content.decode() and "privacy/person/" in page.content.decode()
    assert 'name="confirm"' not in page.content.decode()
