"""Outreach records, written through the services as the pages do."""

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from conftest import World, add_member
from pingyi.core.models import AuditEntry, Notification
from pingyi.outreach import selectors, services
from pingyi.outreach.models import Contact, DeedPhoto, GoodDeed, Handout, PlanRead

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def photo(name: str = "合影.jpg") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (30.0, 1.0, 2.0)}
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_issuing_the_plan_tells_every_member_with_a_login_once(world: World, campaign: Any, away: Any) -> None:
    stage = campaign.stages.get(order=1)
    services.issue_plan(stage=stage, title="第一阶段学习计划", body="每周五集中学习", by=world.users["secretary"])
    services.issue_plan(
        stage=stage, title="第一阶段学习计划（修订）", body="每周五集中学习", by=world.users["secretary"]
    )
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"member", "away"}  # secretary and office are not members: no notice
    assert stage.study_plan.title == "第一阶段学习计划（修订）"
    assert list(AuditEntry.objects.filter(action__startswith="outreach.plan").values_list("action", flat=True)) == [
        "outreach.plan_issued",
        "outreach.plan_updated",
    ]


def test_confirming_twice_keeps_one_read(world: World, campaign: Any) -> None:
    plan = services.issue_plan(stage=campaign.stages.get(order=1), title="计划", body="学习", by=None)
    member = world.people["member"]
    assert services.confirm_plan_read(plan=plan, person=member, by=world.users["member"]).changed
    assert not services.confirm_plan_read(plan=plan, person=member, by=world.users["member"]).changed
    assert PlanRead.objects.count() == 1
    status = selectors.plan_status(plan)
    assert [p for p, _at in status.read] == [member] and status.unread == []


def test_a_member_of_another_branch_cannot_confirm(world: World, campaign: Any) -> None:
    plan = services.issue_plan(stage=campaign.stages.get(order=1), title="计划", body="学习", by=None)
    stranger = add_member(world, "外支部党员", org="other_branch")
    with pytest.raises(ValidationError, match="不是发给您所在支部"):
        services.confirm_plan_read(plan=plan, person=stranger, by=None)


def test_materials_everyone_got_but_the_exceptions(world: World, away: Any) -> None:
    material = services.record_material(
        org=world.orgs["branch"], title="教育读本", issued_on=TODAY, not_received=[away], by=None
    )
    got = dict(Handout.objects.filter(material=material).values_list("person__name", "received"))
    assert got == {"王党员": True, "冯外出": False}


def test_a_contact_is_for_members_away_or_retired_only(world: World, away: Any) -> None:
    with pytest.raises(ValidationError, match="不是外出或离退休党员"):
        services.record_contact(
            person=world.people["member"], kind="phone", contacted_on=TODAY, contacted_by="书记", result="好", by=None
        )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.record_contact(
            person=away, kind="phone", contacted_on=TODAY + timedelta(days=1), contacted_by="书记", result="好", by=None
        )
    with pytest.raises(ValidationError, match="请写明联系的结果"):
        services.record_contact(person=away, kind="phone", contacted_on=TODAY, contacted_by="书记", result=" ", by=None)
    assert not Contact.objects.exists()


def test_the_roster_shows_each_members_last_contact(world: World, away: Any, retired: Any) -> None:
    for days, result in ((9, "寄了读本"), (2, "电话了解进度")):
        services.record_contact(
            person=away, kind="phone", contacted_on=TODAY - timedelta(days=days), contacted_by="书记", result=result,
            by=None,
        )  # fmt: skip
    roster = {p.name: p for p in selectors.contact_roster(world.orgs["branch"])}
    assert set(roster) == {"冯外出", "刘退休"}
    assert roster["冯外出"].last_result == "电话了解进度" and roster["冯外出"].contacts == 2
    assert roster["刘退休"].last_contacted_on is None


def test_photos_are_refused_while_the_branch_has_them_off(world: World) -> None:
    deed = dict(
        org=world.orgs["branch"], done_on=TODAY, what="修村道", beneficiary="村民", doers=[world.people["member"]]
    )
    with pytest.raises(ValidationError, match="没有开启照片"):
        services.record_good_deed(**deed, photos=[photo()], by=None)
    assert not GoodDeed.objects.exists()
    services.record_good_deed(**deed, by=None)  # without photos: always fine
    assert GoodDeed.objects.count() == 1


def test_photos_are_cleaned_where_the_branch_turned_them_on(world: World) -> None:
    services.set_photos(org=world.orgs["branch"], enabled=True, by=world.users["secretary"])
    deed = services.record_good_deed(
        org=world.orgs["branch"], done_on=TODAY, what="修村道", beneficiary="村民", doers=[world.people["member"]],
        photos=[photo()], by=None,
    )  # fmt: skip
    kept = DeedPhoto.objects.get(deed=deed)
    assert Image.open(io.BytesIO(bytes(kept.content))).getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert AuditEntry.objects.get(action="outreach.deed_recorded").data["photos"] == 1


def test_a_bad_photo_saves_nothing(world: World) -> None:
    services.set_photos(org=world.orgs["branch"], enabled=True, by=None)
    fake = SimpleUploadedFile("合影.jpg", b"not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="不是 JPG、PNG 或 WebP"):
        services.record_good_deed(
            org=world.orgs["branch"], done_on=TODAY, what="修村道", beneficiary="村民",
            doers=[world.people["member"]], photos=[photo(), fake], by=None,
        )  # fmt: skip
    assert not GoodDeed.objects.exists() and not DeedPhoto.objects.exists()


def test_people_of_another_branch_cannot_be_named(world: World) -> None:
    stranger = add_member(world, "外支部党员", org="other_branch")
    with pytest.raises(ValidationError, match="不在本支部"):
        services.add_point(org=world.orgs["branch"], name="东垅村", kind="village", leaders=[stranger], by=None)


def test_stage_statistics_count_what_falls_within_the_stage(
    world: World, campaign: Any, away: Any, retired: Any
) -> None:
    branch, member = world.orgs["branch"], world.people["member"]
    stage = campaign.stages.get(order=1)
    plan = services.issue_plan(stage=stage, title="计划", body="学习", readings="读本\n党章", by=None)
    services.confirm_plan_read(plan=plan, person=member, by=None)
    services.record_material(org=branch, title="读本", issued_on=TODAY, not_received=[away], by=None)
    for person, remote in ((away, True), (away, True), (retired, False)):
        services.record_contact(
            person=person,
            kind="phone",
            contacted_on=TODAY,
            contacted_by="书记",
            result="已转告",
            remote=remote,
            by=None,
        )
    point = services.add_point(org=branch, name="东垅村", kind="village", leaders=[member], by=None)
    services.record_visit(point=point, kind="party_day", held_on=TODAY, people=[member], by=None)
    services.record_visit(
        point=point, kind="visit", held_on=stage.starts_on - timedelta(days=1), people=[member], by=None
    )
    for _n in range(3):
        services.record_good_deed(org=branch, done_on=TODAY, what="办事", beneficiary="村民", doers=[member], by=None)

    stats = selectors.stage_statistics(campaign, stage)
    assert (stats.members, stats.plan_issued, stats.plan_read, stats.readings) == (3, True, 1, 2)
    assert (stats.materials_issued, stats.handouts) == (1, 2)
    assert (stats.away_or_retired, stats.contacted, stats.contacts, stats.remote) == (2, 2, 3, 1)
    assert (stats.good_deeds, stats.liaison_visits, stats.party_days_at_points) == (3, 1, 1)
