"""Handling opinions: categorise, answer, merge, rectify; symposia, visits, invitees."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from conftest import World
from pingyi.core.models import AuditEntry
from pingyi.opinions import services
from pingyi.opinions.models import Category, Channel, Opinion, OpinionRound, OpinionStatus
from pingyi.opinions.selectors import opinion_stats, opinions_about
from pingyi.org import services as org_services
from pingyi.org.models import ContactType, PersonKind
from pingyi.rectification.models import ItemSource, RectificationItem

pytestmark = pytest.mark.django_db


def opinion(round_: OpinionRound, text: str = "办理失业登记要交的材料太多", **fields: Any) -> Opinion:
    return services.record_opinion(
        round=round_, channel=fields.pop("channel", Channel.PAPER), text=text, by=None, **fields
    )


def test_record_opinion_keeps_its_signature_and_audits(world: World, round_: OpinionRound) -> None:
    found = services.record_opinion(
        round=round_,
        channel=Channel.TALK,
        text=" 希望多下基层 ",
        concerns_person=world.people["member"],
        by=world.users["secretary"],
    )
    assert found.text == "希望多下基层" and found.recorded_by == world.users["secretary"]
    assert list(opinions_about(world.people["member"])) == [found]
    assert AuditEntry.objects.filter(action="opinions.recorded", target=f"opinions.opinion:{found.pk}").exists()
    with pytest.raises(ValidationError):
        services.record_opinion(round=round_, channel=Channel.TALK, text="  ", by=None)


def test_categorising_sets_the_heading_and_moves_a_new_opinion_on(world: World, round_: OpinionRound) -> None:
    item = opinion(round_)
    category = Category.objects.get(name="办事程序和效率")
    services.categorise_opinion(
        opinion=item, category=category, topic="procedure", concerns_unit="就业股", by=world.users["office"]
    )
    item.refresh_from_db()
    assert (item.category, item.topic, item.concerns_unit, item.status) == (
        category,
        "procedure",
        "就业股",
        OpinionStatus.CATEGORISED,
    )


def test_answering_records_who_and_when_and_a_repeat_changes_nothing(world: World, round_: OpinionRound) -> None:
    item = opinion(round_)
    services.answer_opinion(opinion=item, answer="已精简为三项材料", by=world.users["office"])
    item.refresh_from_db()
    assert item.status == OpinionStatus.ANSWERED and item.answered_by == world.users["office"]
    first_at = item.answered_at
    services.answer_opinion(opinion=item, answer="已精简为三项材料", by=world.users["office"])
    item.refresh_from_db()
    assert item.answered_at == first_at
    assert AuditEntry.objects.filter(action="opinions.answered").count() == 1
    with pytest.raises(ValidationError, match="请填写答复内容"):
        services.answer_opinion(opinion=item, answer=" ", by=None)


def test_merging_folds_duplicates_and_the_stats_count_them_once(world: World, round_: OpinionRound) -> None:
    primary = opinion(round_, "窗口中午不办事")
    dup1 = opinion(round_, "中午窗口不办事", channel=Channel.ONLINE)
    dup2 = opinion(round_, "中午窗口没人办事")
    assert services.merge_opinions(primary=dup2, duplicates=[dup1], by=None) == 1
    # Merging that one in later brings what it had gathered along: no chains of merges.
    assert services.merge_opinions(primary=primary, duplicates=[dup2], by=None) == 1
    assert set(primary.duplicates.values_list("pk", flat=True)) == {dup1.pk, dup2.pk}
    assert services.merge_opinions(primary=primary, duplicates=[dup1, dup2], by=None) == 0  # a second click
    stats = opinion_stats(round_.opinions.all())
    assert stats.total == 1 and stats.merged == 2
    assert stats.by_channel == [("纸质征求表", 1)]
    with pytest.raises(ValidationError, match="已经被合并"):
        services.merge_opinions(primary=dup1, duplicates=[primary], by=None)
    with pytest.raises(ValidationError, match="已并入另一条"):
        services.answer_opinion(opinion=dup1, answer="x", by=None)


def test_opinions_of_different_rounds_are_not_merged(world: World, round_: OpinionRound) -> None:
    other = services.create_round(org=world.orgs["branch"], title="另一轮", by=None)
    with pytest.raises(ValidationError, match="同一轮"):
        services.merge_opinions(primary=opinion(round_), duplicates=[opinion(other)], by=None)
    assert not Opinion.objects.filter(status=OpinionStatus.MERGED).exists()


def test_one_click_makes_a_rectification_item_and_links_it(world: World, round_: OpinionRound) -> None:
    item = opinion(round_, "失业金审核要等一个月\n希望缩短")
    made = services.turn_into_rectification(opinion=item, by=world.users["secretary"])
    item.refresh_from_db()
    assert item.rectification_item == made
    assert made.source == ItemSource.OPINION and made.org == round_.org and made.title == "失业金审核要等一个月"
    again = services.turn_into_rectification(opinion=item, by=world.users["secretary"])
    assert again == made and RectificationItem.objects.count() == 1


def test_a_failure_while_linking_leaves_no_item(
    world: World, round_: OpinionRound, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = opinion(round_)

    def failing(*args: Any) -> None:  # the item exists by now; linking the opinion to it crashes
        assert RectificationItem.objects.exists()
        raise RuntimeError("crash")

    monkeypatch.setattr(services.handling, "_link", failing)
    with pytest.raises(RuntimeError, match="crash"):
        services.turn_into_rectification(opinion=item, by=None)
    item.refresh_from_db()
    assert item.rectification_item is None and not RectificationItem.objects.exists()


def test_a_symposium_records_each_line_as_an_opinion(world: World, round_: OpinionRound) -> None:
    symposium = services.record_symposium(
        round=round_,
        title="用人单位座谈会",
        held_on=date(2005, 3, 2),
        hosts=[world.people["member"]],
        attendees="城关鞋业 许经理\n工业园区 邓主任",
        minutes="会议由支部书记主持。",
        opinions="招工备案要跑三个窗口\n\n  培训补贴发放慢  ",
        by=world.users["secretary"],
    )
    raised = list(symposium.opinions.order_by("id").values_list("text", "channel", "source_name"))
    assert raised == [
        ("招工备案要跑三个窗口", Channel.SYMPOSIUM, "用人单位座谈会"),
        ("培训补贴发放慢", Channel.SYMPOSIUM, "用人单位座谈会"),
    ]
    services.update_symposium(
        symposium=symposium, title="用人单位座谈会", held_on=date(2005, 3, 2), opinions="希望多开座谈会", by=None
    )
    assert symposium.opinions.count() == 3


def test_a_visit_records_its_opinions(world: World, round_: OpinionRound) -> None:
    visit = services.record_visit(
        round=round_,
        visited="东垅村村委会",
        visited_on=date(2005, 3, 5),
        visitors=[world.people["member"]],
        opinions="希望送政策下乡",
        source_group="public",
        by=None,
    )
    assert list(visit.opinions.values_list("text", "channel", "source_name", "source_group")) == [
        ("希望送政策下乡", Channel.VISIT, "东垅村村委会", "public")
    ]


def test_invitees_come_from_contacts_and_lines_without_duplicates(world: World, round_: OpinionRound) -> None:
    contact = org_services.save_person(
        org=world.orgs["bureau"],
        by=None,
        kind=PersonKind.CONTACT,
        name="彭科长",
        contact_type=ContactType.AGENCY,
        affiliation="区人事局",
    )
    entries = services.invitee_entries(
        contacts=[contact], lines="城关鞋业有限公司 许经理\n工业园区服务中心\u3000邓主任\n"
    )
    assert services.add_invitees(round=round_, entries=entries, by=None) == 3
    assert services.add_invitees(round=round_, entries=entries, by=None) == 0
    rows = list(round_.invitees.order_by("id").values_list("name", "contact", "group"))
    assert rows == [
        ("区人事局", "彭科长", "agency"),
        ("城关鞋业有限公司", "许经理", "employer"),
        ("工业园区服务中心", "邓主任", "employer"),
    ]


def test_a_round_code_replaces_the_previous_one(world: World, round_: OpinionRound) -> None:
    first = services.issue_round_code(round=round_, by=None)
    services.revoke_round_codes(round=round_, by=None)
    second = services.issue_round_code(round=round_, by=None)
    assert first != second
    with pytest.raises(ValidationError, match="邀请码不正确"):
        services.submit_public_opinion(round=round_, text="意见", code=first, address="1.1.1.1")
    services.submit_public_opinion(round=round_, text="意见", code=second, address="1.1.1.1")


def test_an_opinion_declined_with_a_reason_has_an_outcome_and_one_without_does_not(
    world: World, round_: OpinionRound
) -> None:
    from pingyi.campaigns.models import Campaign
    from pingyi.opinions.selectors import untraced

    campaign = Campaign.objects.create(org=round_.org, title="活动", starts_on=date(2005, 1, 10))
    OpinionRound.objects.filter(pk=round_.pk).update(campaign=campaign)
    kept, declined = opinion(round_, "建议增加窗口"), opinion(round_, "建议取消全部收费")
    with pytest.raises(ValidationError, match="理由"):
        services.answer_opinion(opinion=declined, answer="  ", by=None, decline=True)
    services.answer_opinion(
        opinion=declined, answer="收费依据国家规定，本局无权取消，已向上反映。", by=None, decline=True
    )
    declined.refresh_from_db()
    assert declined.status == OpinionStatus.DECLINED and "无权取消" in declined.answer
    assert list(untraced(campaign)) == [kept]
