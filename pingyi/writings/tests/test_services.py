from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import World, add_member
from pingyi.campaigns.models import WorkItem
from pingyi.core.models import AuditEntry
from pingyi.writings import services
from pingyi.writings.models import Review, Writing, WritingVersion
from pingyi.writings.text import MAX_CHARS, word_count

from .conftest import ALL_COMPARED, FULL_SECTIONS, submitted, write

pytestmark = pytest.mark.django_db


def test_word_count_skips_whitespace_and_punctuation() -> None:
    assert word_count("学习 党章，\n  提高认识。abc 123！“引号”") == 8 + 3 + 3 + 2
    assert word_count("　，。、；：？！…—（）《》") == 0


def test_a_second_click_on_start_returns_the_same_blank_draft(world: World, reflection_item: WorkItem) -> None:
    member, person = world.users["member"], world.people["member"]
    first = services.start_writing(work_item=reflection_item, author=person, by=member)
    again = services.start_writing(work_item=reflection_item, author=person, by=member)
    assert again.pk == first.pk and first.status == Writing.Status.DRAFT and first.title == "学习心得"
    services.save_draft(writing=first, by=member, title="心得一", text="有了内容。")
    second = services.start_writing(work_item=reflection_item, author=person, by=member)
    assert second.pk != first.pk  # a member may write several reflections
    assert AuditEntry.objects.filter(action="writing.start").count() == 2


def test_one_self_analysis_per_member(world: World, analysis_item: WorkItem) -> None:
    member, person = world.users["member"], world.people["member"]
    first = write(world, analysis_item)
    assert services.start_writing(work_item=analysis_item, author=person, by=member).pk == first.pk


def test_nothing_is_written_for_a_stage_not_yet_open(world: World, campaign: Any) -> None:
    item = WorkItem.objects.get(stage__campaign=campaign, rule="writings.self_analysis_accepted")
    with pytest.raises(ValidationError, match="尚未开始"):
        services.start_writing(work_item=item, author=world.people["member"], by=world.users["member"])
    assert not Writing.objects.exists()


def test_only_the_author_edits_submits_or_uploads(world: World, reflection_item: WorkItem) -> None:
    writing = write(world, reflection_item, text="我自己的草稿。")
    add_member(world, "李党员", login="li")
    for intruder in [world.users["li"], world.users["secretary"], world.users["admin"]]:
        with pytest.raises(PermissionDenied):
            services.save_draft(writing=writing, by=intruder, title="改", text="别人改的")
        with pytest.raises(PermissionDenied):
            services.submit_writing(writing=writing, by=intruder)
        with pytest.raises(PermissionDenied):
            services.fill_from_file(writing=writing, by=intruder, filename="a.txt", data="别人的".encode())
    writing.refresh_from_db()
    assert writing.text == "我自己的草稿。" and writing.status == Writing.Status.DRAFT


def test_an_autosave_arriving_late_does_not_overwrite_a_newer_one(world: World, reflection_item: WorkItem) -> None:
    writing = write(world, reflection_item)
    member = world.users["member"]
    newer = services.save_draft(writing=writing, by=member, title="心得", text="新的内容", seq=2000, client="phone")
    late = services.save_draft(writing=writing, by=member, title="心得", text="旧的内容", seq=1000, client="phone")
    writing.refresh_from_db()
    assert newer.saved and not late.saved and writing.text == "新的内容"
    same = services.save_draft(writing=writing, by=member, title="心得", text="新的内容", seq=3000, client="phone")
    assert not same.saved and same.at == newer.at
    # Another device whose clock runs behind is not locked out: the last save wins.
    other = services.save_draft(writing=writing, by=member, title="心得", text="电脑上改的", seq=5, client="pc")
    writing.refresh_from_db()
    assert other.saved and writing.text == "电脑上改的"


def test_an_overlong_draft_is_refused_and_the_old_one_kept(world: World, reflection_item: WorkItem) -> None:
    writing = write(world, reflection_item, text="原来的草稿")
    with pytest.raises(ValidationError, match="正文太长"):
        services.save_draft(writing=writing, by=world.users["member"], title="心得", text="字" * (MAX_CHARS + 1))
    writing.refresh_from_db()
    assert writing.text == "原来的草稿"


def test_submit_keeps_a_version_and_a_second_submit_changes_nothing(world: World, reflection_item: WorkItem) -> None:
    writing = write(world, reflection_item, title="  学习 党章  的体会 ", text="学习党章，\r\n对照检查。  ")
    first = services.submit_writing(writing=writing, by=world.users["member"])
    again = services.submit_writing(writing=writing, by=world.users["member"])
    assert not first.already and again.already and again.version.pk == first.version.pk
    version = WritingVersion.objects.get()
    assert (version.number, version.title, version.text, version.word_count) == (
        1,
        "学习 党章 的体会",
        "学习党章，\n对照检查。",
        8,
    )
    writing.refresh_from_db()
    assert writing.status == Writing.Status.SUBMITTED and writing.submitted_at == version.submitted_at
    assert AuditEntry.objects.filter(action="writing.submit").count() == 1
    with pytest.raises(ValidationError, match="不能再修改"):
        services.save_draft(writing=writing, by=world.users["member"], title="改", text="提交后再改")


def test_an_empty_reflection_cannot_be_submitted(world: World, reflection_item: WorkItem) -> None:
    writing = write(world, reflection_item, text="  \n ")
    with pytest.raises(ValidationError, match="正文是空的"):
        services.submit_writing(writing=writing, by=world.users["member"])
    assert not WritingVersion.objects.exists()


def test_a_self_analysis_needs_its_three_parts_and_four_comparisons(world: World, analysis_item: WorkItem) -> None:
    comparisons = {**ALL_COMPARED, "models": {"checked": False, "note": ""}}
    writing = write(world, analysis_item, sections={**FULL_SECTIONS, "causes": " "}, comparisons=comparisons)
    with pytest.raises(ValidationError) as refused:
        services.submit_writing(writing=writing, by=world.users["member"])
    assert refused.value.messages == ["请填写“产生问题的根源”。", "请完成“四个对照”，尚未勾选：对照先进典型。"]
    services.save_draft(
        writing=writing, by=world.users["member"], title="党性分析", sections=FULL_SECTIONS, comparisons=ALL_COMPARED
    )
    version = services.submit_writing(writing=writing, by=world.users["member"]).version
    assert version.text.startswith("一、查摆的问题\n理论学习不够深入。\n\n二、产生问题的根源")
    assert version.comparisons["models"] == {"checked": True, "note": "已对照"}
    assert (
        version.word_count
        == word_count("查摆的问题理论学习不够深入产生问题的根源放松了主观世界的改造整改方向和措施每周学习两次写笔记")
        + 3
    )


def test_submitting_starts_the_originality_check_after_commit(
    world: World, reflection_item: WorkItem, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("pingyi.originality.services.check_text", lambda **kwargs: calls.append(kwargs))
    writing = write(world, reflection_item, title="心得", text="学习党章。")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.submit_writing(writing=writing, by=world.users["member"])
    assert calls == []  # nothing runs before the commit
    for callback in callbacks:
        callback()
    version = WritingVersion.objects.get()
    assert calls == [
        {
            "kind": "writing",
            "ref": version.pk,
            "org": world.orgs["branch"],
            "campaign": writing.campaign,
            "title": "心得",
            "text": "学习党章。",
            "by": world.users["member"],
        }
    ]


def test_a_crash_mid_submit_leaves_everything_as_it_was(
    world: World, reflection_item: WorkItem, monkeypatch: Any
) -> None:
    writing = write(world, reflection_item)

    def crash(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("pingyi.writings.services.audit.record", crash)
    with pytest.raises(RuntimeError):
        services.save_and_submit(writing=writing, by=world.users["member"], title="新标题", text="提交时的新内容")
    writing.refresh_from_db()
    assert writing.status == Writing.Status.DRAFT and writing.title == "学习心得" and writing.text != "提交时的新内容"
    assert not WritingVersion.objects.exists()


def test_return_then_resubmit_then_accept(world: World, reflection_item: WorkItem) -> None:
    secretary, member = world.users["secretary"], world.users["member"]
    writing = submitted(world, reflection_item, text="第一稿。")
    with pytest.raises(ValidationError, match="修改意见"):
        services.return_writing(writing=writing, by=secretary, version_number=1, comment="  ")
    review = services.return_writing(writing=writing, by=secretary, version_number=1, comment="联系本职工作不够。")
    again = services.return_writing(writing=writing, by=secretary, version_number=1, comment="联系本职工作不够。")
    assert again.pk == review.pk and Review.objects.count() == 1
    writing.refresh_from_db()
    assert writing.status == Writing.Status.RETURNED and writing.text == "第一稿。"  # the draft is the returned text
    with pytest.raises(ValidationError, match="已退回"):
        services.accept_writing(writing=writing, by=secretary, version_number=1)
    services.save_draft(writing=writing, by=member, title="学习心得", text="第二稿，结合了本职工作。")
    services.submit_writing(writing=writing, by=member)
    with pytest.raises(ValidationError, match="第2稿"):
        services.accept_writing(writing=writing, by=secretary, version_number=1)  # looked at the old one
    accepted = services.accept_writing(writing=writing, by=secretary, version_number=2, comment="好")
    twice = services.accept_writing(writing=writing, by=secretary, version_number=2)
    assert twice.pk == accepted.pk and accepted.capacity == Review.Capacity.BRANCH
    writing.refresh_from_db()
    assert writing.status == Writing.Status.ACCEPTED and writing.accepted_at is not None
    assert [v.text for v in writing.versions.order_by("number")] == ["第一稿。", "第二稿，结合了本职工作。"]
    with pytest.raises(ValidationError, match="已通过"):
        services.return_writing(writing=writing, by=world.users["supervisor"], version_number=2, comment="再改")
    assert AuditEntry.objects.filter(action__in=["writing.return", "writing.accept"]).count() == 2


def test_reviewing_needs_the_capability_and_never_ones_own(world: World, reflection_item: WorkItem) -> None:
    writing = submitted(world, reflection_item)
    for persona in ["committee", "member", "outsider"]:
        with pytest.raises(PermissionDenied):
            services.accept_writing(writing=writing, by=world.users[persona], version_number=1)
    services.accept_writing(writing=writing, by=world.users["office"], version_number=1)  # 学习督查小组
    writing.refresh_from_db()
    assert writing.status == "accepted"
    secretary_person = add_member(world, "林书记", login="lin")
    from pingyi.org import services as org_services
    from pingyi.org.models import Role

    org_services.grant_role(user=world.users["lin"], org=world.orgs["branch"], role=Role.SECRETARY, by=None)
    own = submitted(world, reflection_item, persona="lin")
    assert own.author == secretary_person
    with pytest.raises(PermissionDenied):
        services.accept_writing(writing=own, by=world.users["lin"], version_number=1)


def test_a_leaders_self_analysis_needs_the_branch_and_the_supervision_group(
    world: World, analysis_item: WorkItem
) -> None:
    add_member(world, "张局长", login="leader", leader=True)
    writing = submitted(world, analysis_item, persona="leader")
    assert writing.needs_supervision
    services.accept_writing(writing=writing, by=world.users["secretary"], version_number=1)
    writing.refresh_from_db()
    assert writing.status == Writing.Status.SUBMITTED and writing.branch_ok and not writing.supervision_ok
    services.accept_writing(writing=writing, by=world.users["supervisor"], version_number=1, comment="同意")
    writing.refresh_from_db()
    assert writing.status == Writing.Status.ACCEPTED and writing.supervision_ok
    assert list(writing.reviews.values_list("capacity", flat=True)) == ["branch", "supervision"]


def test_the_supervision_group_may_return_a_leaders_self_analysis(world: World, analysis_item: WorkItem) -> None:
    add_member(world, "张局长", login="leader", leader=True)
    writing = submitted(world, analysis_item, persona="leader")
    services.accept_writing(writing=writing, by=world.users["secretary"], version_number=1)
    services.return_writing(writing=writing, by=world.users["supervisor"], version_number=1, comment="根源剖析不深。")
    writing.refresh_from_db()
    assert writing.status == Writing.Status.RETURNED and not writing.branch_ok  # the next version is reviewed afresh


def test_a_members_self_analysis_is_accepted_by_the_branch_alone(world: World, analysis_item: WorkItem) -> None:
    writing = submitted(world, analysis_item)
    assert not writing.needs_supervision
    services.accept_writing(writing=writing, by=world.users["secretary"], version_number=1)
    writing.refresh_from_db()
    assert writing.status == Writing.Status.ACCEPTED
