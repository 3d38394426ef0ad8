"""Outreach as people click through it: a member confirms the plan on a phone, the secretary logs a call to a
member away from home, and a good deed takes a photo only where the branch turned photos on."""

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import ExifTags, Image

from conftest import PASSWORD, World, login_in_browser
from pingyi.outreach import services
from pingyi.outreach.models import Contact, DeedPhoto

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_a_member_confirms_the_study_plan_on_a_phone(page: Any, live_server: Any, world: World, campaign: Any) -> None:
    services.issue_plan(
        stage=campaign.stages.get(order=1), title="第一阶段学习计划", body="每周五下午集中学习。",
        readings="《教育读本》\n《党章》", by=world.users["secretary"],
    )  # fmt: skip
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "member", PASSWORD)
    page.click("text=学习计划待阅：第一阶段学习计划")
    assert "《党章》" in page.inner_text("#readings")
    page.click("#confirm-read")
    page.wait_for_load_state()
    assert "已确认阅读" in page.inner_text("main")
    page.goto(f"{live_server.url}/")
    assert "学习计划待阅" not in page.inner_text("main")


def test_the_secretary_logs_a_call_to_a_member_away(page: Any, live_server: Any, world: World, away: Any) -> None:
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.click("text=1 名外出、离退休党员三个月没有联系")
    row = page.locator(f"[data-person='{away.pk}']")
    assert "还没有联系记录" in row.inner_text()
    row.locator("text=登记").click()
    assert page.input_value("#id_person") == str(away.pk)  # the member clicked is already chosen
    assert page.input_value("#id_contacted_by") == "secretary"  # the recorder, unless someone else called
    page.check("label:has-text('电话联系')")
    page.fill("#id_result", "已转告本阶段学习安排，本人在外地按计划自学")
    page.check("#id_remote")
    page.click("#contact-form button[type=submit]")
    page.wait_for_url("**/contacts/")
    assert "已登记联系情况" in page.inner_text("main")
    assert "按计划自学" in page.locator(f"[data-person='{away.pk}'] .last-contact").inner_text()
    contact = Contact.objects.get()
    assert contact.remote and contact.kind == "phone"


def gps_photo(tmp_path: Path) -> Path:
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (30.0, 1.0, 2.0)}
    path = tmp_path / "修村道.jpg"
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "green").save(out, format="JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def test_a_good_deed_takes_a_photo_only_where_photos_are_on(
    page: Any, live_server: Any, world: World, tmp_path: Path
) -> None:
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/outreach/org/BRANCH/deeds/")
    page.click("text=登记一件实事")
    assert page.locator("#deed-form input[type=file]").count() == 0  # off by default: no photo field at all

    page.click("text=为民办实事")
    page.click("#outreach-tabs >> text=设置")
    page.check("#id_photos")
    page.click("#settings-form button[type=submit]")
    assert "已保存设置" in page.inner_text("main")

    page.goto(f"{live_server.url}/outreach/org/BRANCH/deeds/add/")
    page.fill("#id_what", "帮东垅村修复灌溉水渠")
    page.fill("#id_beneficiary", "东垅村村民")
    page.check("label:has-text('王党员')")
    page.set_input_files("#id_photos", str(gps_photo(tmp_path)))
    page.click("#deed-form button[type=submit]")
    page.wait_for_url("**/deeds/")
    deed = page.locator("#deeds li").first
    assert "帮东垅村修复灌溉水渠" in deed.inner_text() and deed.locator("img").count() == 1
    kept = DeedPhoto.objects.get()
    assert Image.open(io.BytesIO(bytes(kept.content))).getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}


def test_a_member_sees_what_they_received_and_confirms_the_plan_on_a_phone(
    page: Any, live_server: Any, world: World, campaign: Any
) -> None:
    by, member = world.users["secretary"], world.people["member"]
    services.issue_plan(
        stage=campaign.stages.get(order=1), title="第一阶段学习计划", body="每周五下午集中学习。",
        readings="《党章》", readings_due_on=campaign.stages.get(order=1).ends_on, by=by,
    )  # fmt: skip
    today = campaign.stages.get(order=1).starts_on
    services.record_material(org=world.orgs["branch"], title="《教育读本》", issued_on=today, by=by)
    services.record_material(
        org=world.orgs["branch"], title="《学习纲要》", issued_on=today, not_received=[member], by=by
    )
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "member", PASSWORD)
    page.goto(f"{live_server.url}/study/mine/")
    page.click("#my-received")
    materials = page.inner_text("#my-materials")
    assert "《教育读本》" in materials and "《学习纲要》" not in materials
    assert "《党章》" in page.inner_text("#my-plans .readings")
    page.click("#my-plans .confirm-read")
    page.wait_for_selector("#my-plans .read-state")
    assert "已确认阅读" in page.inner_text("main")
    assert page.url.endswith("/outreach/mine/")


def test_the_secretary_hands_out_a_material_with_its_electronic_copy_and_the_member_away_downloads_it(
    page: Any, live_server: Any, world: World, browser: Any, tmp_path: Path
) -> None:
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/outreach/org/BRANCH/materials/")
    page.fill("#id_title", "《学习纲要》")
    member = world.people["member"]
    page.check(f"input[name=not_received][value='{member.pk}']")  # away from home: no printed copy
    copy = tmp_path / "学习纲要.pdf"
    copy.write_bytes(b"%PDF-1.4\n%outline\n")
    page.set_input_files("#id_copies", str(copy))
    page.click("#material-form button[type=submit]")
    page.wait_for_selector("text=已登记发放")
    assert "学习纲要.pdf" in page.inner_text("#materials")

    phone = browser.new_context(viewport=PHONE).new_page()
    login_in_browser(phone, live_server, "member", PASSWORD)
    phone.goto(f"{live_server.url}/outreach/mine/")
    mine = phone.locator("#my-materials")
    assert "纸质版没有领到，可以下载电子版。" in mine.inner_text()
    with phone.expect_download() as download:
        mine.locator("a", has_text="学习纲要.pdf").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    phone.context.close()
