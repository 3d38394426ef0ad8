"""The item's life: report with evidence, verify or return, publish; limits on evidence; the four checks."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import World
from pingyi.core.models import AuditEntry
from pingyi.opinions.models import Channel, OpinionRound
from pingyi.opinions.services import record_opinion
from pingyi.rectification import services
from pingyi.rectification.evidence import MAX_BYTES
from pingyi.rectification.models import Evidence, ItemSource, ItemStatus, RectificationItem, Scope

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name: str, content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def new_item(world: World, **extra: Any) -> RectificationItem:
    fields: dict[str, Any] = {"title": "窗口服务态度生硬", "owner": world.people["member"], "measures": "文明服务培训"}
    fields.update(extra)
    return services.create_item(org=world.orgs["branch"], by=world.users["secretary"], **fields)


def test_owner_reports_with_evidence_and_the_secretary_verifies(world: World) -> None:
    item = new_item(world)
    outcome = services.report_done(
        item=item, report="已组织培训两次", files=[upload("签到表.pdf")], by=world.users["member"]
    )
    assert outcome.changed and outcome.item.status == ItemStatus.DONE
    evidence = Evidence.objects.get(item=item)
    assert evidence.filename == "签到表.pdf" and bytes(evidence.content) == PDF and evidence.size == len(PDF)
    verified = services.verify_item(item=item, by=world.users["secretary"]).item
    assert verified.status == ItemStatus.VERIFIED and verified.verified_by == world.users["secretary"]
    assert verified.verified_at is not None


def test_a_repeated_report_or_verification_changes_nothing(world: World) -> None:
    item = new_item(world)
    services.report_done(item=item, report="已整改", files=[upload("a.pdf")], by=world.users["member"])
    entries = AuditEntry.objects.count()
    again = services.report_done(item=item, report="已整改", files=[upload("a.pdf")], by=world.users["member"])
    assert not again.changed and Evidence.objects.filter(item=item).count() == 1
    services.verify_item(item=item, by=world.users["secretary"])
    assert not services.verify_item(item=item, by=world.users["secretary"]).changed
    assert AuditEntry.objects.count() == entries + 1


def test_verifying_needs_a_report_first(world: World) -> None:
    with pytest.raises(ValidationError, match="尚未报告完成"):
        services.verify_item(item=new_item(world), by=world.users["secretary"])


def test_a_report_needs_words(world: World) -> None:
    item = new_item(world)
    with pytest.raises(ValidationError, match="请写明整改情况"):
        services.report_done(item=item, report="  ", files=[], by=world.users["member"])
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


def test_the_secretary_sends_back_with_a_reason_and_the_owner_reports_again(world: World) -> None:
    item = new_item(world)
    with pytest.raises(ValidationError, match="还没有报告完成"):
        services.return_item(item=item, reason="再看看", by=world.users["secretary"])
    services.report_done(item=item, report="已整改", files=[], by=world.users["member"])
    with pytest.raises(ValidationError, match="退回原因"):
        services.return_item(item=item, reason="", by=world.users["secretary"])
    returned = services.return_item(item=item, reason="缺少培训记录", by=world.users["secretary"]).item
    assert not services.return_item(item=item, reason="缺少培训记录", by=world.users["secretary"]).changed
    assert returned.status == ItemStatus.IN_PROGRESS and returned.return_reason == "缺少培训记录"
    assert services.report_done(item=item, report="补充了记录", files=[], by=world.users["member"]).changed
    verified = services.verify_item(item=item, by=world.users["secretary"]).item
    assert verified.return_reason == ""


def test_a_verified_item_cannot_be_edited_or_returned(world: World) -> None:
    item = new_item(world)
    services.report_done(item=item, report="已整改", files=[], by=world.users["member"])
    services.verify_item(item=item, by=world.users["secretary"])
    with pytest.raises(ValidationError):
        services.update_item(item=item, title="改个名", by=world.users["secretary"])
    with pytest.raises(ValidationError):
        services.return_item(item=item, reason="再看看", by=world.users["secretary"])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("huge.pdf", PDF + b"0" * MAX_BYTES, "超过 5 MB"),
        ("tool.exe", b"MZ\x90\x00", "类型不支持"),
        ("fake.pdf", b"<html>not a pdf</html>", "内容与扩展名不符"),
        ("empty.docx", b"", "空文件"),
        ("photo.jpg", JPEG, "照片佐证默认关闭，本支部没有开启"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_kept(world: World, name: str, content: bytes, message: str) -> None:
    item = new_item(world)
    with pytest.raises(ValidationError, match=message):
        services.report_done(
            item=item, report="已整改", files=[upload("ok.pdf"), upload(name, content)], by=world.users["member"]
        )
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN and not Evidence.objects.exists()


def test_photos_are_accepted_once_the_branch_turns_them_on_and_reach_its_groups(world: World) -> None:
    assert not services.photo_evidence_allowed(world.orgs["branch"])
    services.set_photo_evidence(org=world.orgs["branch"], enabled=True, by=world.users["secretary"])
    item = services.create_item(org=world.orgs["group"], title="小组学习记录不全", by=world.users["secretary"])
    services.report_done(
        item=item,
        report="已补齐",
        files=[upload("现场.jpg", JPEG), upload("记录.png", PNG)],
        by=world.users["secretary"],
    )
    assert sorted(Evidence.objects.values_list("kind", flat=True)) == ["photo", "photo"]
    assert not services.photo_evidence_allowed(world.orgs["other_branch"])


def test_a_crash_mid_report_leaves_the_item_as_it_was(world: World, monkeypatch: Any) -> None:
    item = new_item(world)

    def boom(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.audit, "record", boom)
    with pytest.raises(RuntimeError):
        services.report_done(item=item, report="已整改", files=[upload("a.pdf")], by=world.users["member"])
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN and item.report == "" and not Evidence.objects.exists()


def _verified(world: World, **extra: Any) -> RectificationItem:
    item = new_item(world, **extra)
    services.report_done(item=item, report="已整改", files=[], by=world.users["member"])
    return services.verify_item(item=item, by=world.users["secretary"]).item


def test_only_verified_items_are_published_and_never_with_personal_data(world: World) -> None:
    item = new_item(world)
    with pytest.raises(ValidationError, match="经核实"):
        services.publish_item(item=item, scope=Scope.PUBLIC, public_title="a", public_summary="b", by=None)
    item = _verified(world)
    for title, summary in [
        ("王党员改进服务", "已培训"),
        ("窗口服务改进", "联系电话13800138000"),
        ("窗口服务改进", "身份证11010519491231002X"),
    ]:
        with pytest.raises(ValidationError, match="个人信息"):
            services.publish_item(item=item, scope=Scope.PUBLIC, public_title=title, public_summary=summary, by=None)
    with pytest.raises(ValidationError, match="公开范围"):
        services.publish_item(item=item, scope="everyone", public_title="窗口", public_summary="改了", by=None)
    published = services.publish_item(
        item=item, scope=Scope.PUBLIC, public_title="窗口服务改进", public_summary="开展文明服务培训", by=None
    )
    assert published.published_at is not None and RectificationItem.objects.published().count() == 1
    services.unpublish_item(item=published, by=None)
    assert not RectificationItem.objects.published().exists()


def test_an_item_from_an_opinion_suggests_the_person_it_concerns_as_owner(world: World) -> None:
    from pingyi.opinions.services import turn_into_rectification

    round_ = OpinionRound.objects.create(org=world.orgs["branch"], title="征求意见")
    opinion = record_opinion(
        round=round_, channel=Channel.PAPER, text="办事要跑好几趟", concerns_person=world.people["member"], by=None
    )
    item = turn_into_rectification(opinion=opinion, by=world.users["secretary"])
    assert item.source == ItemSource.OPINION and item.owner is None
    assert item.suggested_owner == world.people["member"]
    assert new_item(world).suggested_owner is None


def test_each_four_checks_finding_becomes_an_item(world: World) -> None:
    check = services.create_check(org=world.orgs["branch"], campaign=None, title="四个查一查", by=None)
    ok = services.add_check_entry(
        check=check, area="procedure", procedure="失业登记", promised_days=5, actual_days=3, by=None
    )
    late = services.add_check_entry(
        check=check, area="commitment", procedure="社保转移", promised_days=10, actual_days=15, by=None
    )
    written = services.add_check_entry(
        check=check,
        area="friction",
        procedure="工伤认定",
        finding="股室之间相互推诿",
        owner=world.people["member"],
        due_on=timezone.localdate() + timedelta(days=30),
        by=None,
    )
    assert ok.rectification_item is None and ok.finding == ""
    assert late.finding == "实际用时15个工作日，超过承诺时限10个工作日。" and late.rectification_item is not None
    item = written.rectification_item
    assert item is not None and item.source == ItemSource.FOUR_CHECKS and item.owner == world.people["member"]
    assert "工伤认定" in item.title


def test_commitments_are_published_once_and_only_with_entries(world: World) -> None:
    check = services.create_check(org=world.orgs["branch"], campaign=None, title="四个查一查", by=None)
    with pytest.raises(ValidationError, match="还没有检查项"):
        services.publish_check(check=check, by=None)
    services.add_check_entry(check=check, area="procedure", procedure="失业登记", promised_days=5, by=None)
    first = services.publish_check(check=check, by=None).published_at
    assert first is not None and services.publish_check(check=check, by=None).published_at == first


def test_overdue_means_past_the_deadline_and_not_reported(world: World) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    late = new_item(world, due_on=yesterday)
    new_item(world, title="未到期", due_on=timezone.localdate())
    reported = new_item(world, title="已报告", due_on=yesterday)
    services.report_done(item=reported, report="已整改", files=[], by=world.users["member"])
    assert list(RectificationItem.objects.overdue()) == [late]
    reported.refresh_from_db()
    assert late.is_overdue and not reported.is_overdue


def test_any_record_becomes_one_item_once_with_an_audit_entry(world: World) -> None:
    round_ = OpinionRound.objects.create(org=world.orgs["branch"], title="征求意见")
    source = record_opinion(round=round_, channel=Channel.PAPER, text="窗口排队太久", by=None)
    made = [
        services.item_from_record(
            record=source,
            source=ItemSource.OPINION,
            org=world.orgs["branch"],
            title="缩短排队",
            by=world.users["secretary"],
        )
        for _ in range(2)
    ]
    assert made[0] == made[1] and made[0].source_record == f"opinions.opinion:{source.pk}"
    entries = AuditEntry.objects.filter(action="rectification.created")
    assert entries.count() == 1 and entries.get().data["record"] == made[0].source_record


def test_the_database_refuses_a_second_item_for_one_record(world: World) -> None:
    from django.db import IntegrityError, transaction

    new_item(world, source_record="feedback.feedback:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        RectificationItem.objects.create(org=world.orgs["branch"], title="重复", source_record="feedback.feedback:1")
