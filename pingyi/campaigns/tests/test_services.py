from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from conftest import CAMPAIGN_START, World, open_campaign
from pingyi.campaigns import services
from pingyi.campaigns.models import Campaign, CampaignTemplate, Stage, StageReview
from pingyi.campaigns.spec import parse_template
from pingyi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def tick_all(stage: Stage, world: World) -> None:
    for item in stage.lookback_items.all():
        services.check_lookback_item(item=item, by=world.users["secretary"])


@pytest.mark.parametrize("code", ["advanced-nature-education", "democratic-evaluation"])
def test_create_campaign_builds_every_stage_back_to_back(world: World, code: str) -> None:
    spec = parse_template(CampaignTemplate.objects.get(code=code).body)
    campaign = open_campaign(world, code)
    stages = list(campaign.stages.order_by("order"))
    assert [s.name for s in stages] == [s.name for s in spec.stages]
    assert [s.status for s in stages] == ["open"] + ["pending"] * (len(stages) - 1)
    day = CAMPAIGN_START
    for stage, stage_spec in zip(stages, spec.stages, strict=True):
        assert stage.starts_on == day
        assert stage.ends_on == day + timedelta(days=stage_spec.days - 1)
        assert [w.code for w in stage.work_items.all()] == [w.code for w in stage_spec.work_items]
        assert [lb.text for lb in stage.lookback_items.all()] == stage_spec.lookback
        for item, item_spec in zip(stage.work_items.all(), stage_spec.work_items, strict=True):
            expected_due = day + timedelta(days=item_spec.due_day - 1) if item_spec.due_day else stage.ends_on
            assert item.due_on == expected_due
            assert (item.audience, item.required, item.rule) == (item_spec.audience, item_spec.required, item_spec.rule)
        day = stage.ends_on + timedelta(days=1)
    assert campaign.title == spec.name
    assert AuditEntry.objects.filter(action="campaign.create", target=f"campaigns.campaign:{campaign.pk}").count() == 1


def test_create_campaign_twice_with_the_same_form_makes_one(world: World) -> None:
    first = open_campaign(world, title="2005年先进性教育")
    second = open_campaign(world, title="2005年先进性教育")
    assert first.pk == second.pk
    assert Campaign.objects.count() == 1


def test_sign_off_refused_while_a_check_is_unticked_then_opens_the_next_stage(world: World, campaign: Campaign) -> None:
    first, second = campaign.stages.order_by("order")[:2]
    items = list(first.lookback_items.all())
    for item in items[:-1]:
        services.check_lookback_item(item=item, by=world.users["secretary"])
    with pytest.raises(ValidationError) as refused:
        services.sign_off_stage(stage=first, by=world.users["secretary"])
    assert "回头看还有 1 项未勾选" in refused.value.messages[0]
    assert items[-1].text in refused.value.messages[0]
    first.refresh_from_db()
    assert first.status == Stage.Status.OPEN

    services.check_lookback_item(item=items[-1], by=world.users["secretary"], note="已补课")
    result = services.sign_off_stage(stage=first, by=world.users["secretary"])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Stage.Status.CLOSED, Stage.Status.OPEN)
    assert first.signed_off_by == world.users["secretary"]
    assert result.opened == second and not result.already_done and not result.campaign_closed


def test_double_sign_off_changes_nothing(world: World, campaign: Campaign) -> None:
    first = campaign.stages.get(order=1)
    tick_all(first, world)
    services.sign_off_stage(stage=first, by=world.users["secretary"])
    entries = AuditEntry.objects.count()
    again = services.sign_off_stage(stage=first, by=world.users["secretary"])
    assert again.already_done
    assert AuditEntry.objects.count() == entries
    assert list(campaign.stages.order_by("order").values_list("status", flat=True)) == ["closed", "open", "pending"]


def test_last_sign_off_closes_the_campaign(world: World, campaign: Campaign) -> None:
    for stage in campaign.stages.order_by("order"):
        stage.refresh_from_db()
        tick_all(stage, world)
        result = services.sign_off_stage(stage=stage, by=world.users["secretary"])
    assert result.campaign_closed
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED and campaign.closed_at


def test_pending_stage_cannot_be_signed_off_or_ticked(world: World, campaign: Campaign) -> None:
    second = campaign.stages.get(order=2)
    with pytest.raises(ValidationError, match="尚未开始"):
        services.sign_off_stage(stage=second, by=world.users["secretary"])
    with pytest.raises(ValidationError, match="不在进行中"):
        services.check_lookback_item(item=second.lookback_items.first(), by=world.users["secretary"])


def test_tick_and_untick_are_idempotent_and_audited(world: World, campaign: Campaign) -> None:
    item = campaign.stages.get(order=1).lookback_items.first()
    services.check_lookback_item(item=item, by=world.users["office"], note="已核对考勤")
    services.check_lookback_item(item=item, by=world.users["office"])
    item.refresh_from_db()
    assert item.checked and item.note == "已核对考勤" and item.checked_by == world.users["office"]
    services.uncheck_lookback_item(item=item, by=world.users["office"])
    services.uncheck_lookback_item(item=item, by=world.users["office"])
    item.refresh_from_db()
    assert not item.checked
    actions = list(AuditEntry.objects.filter(action__startswith="campaign.lookback").values_list("action", flat=True))
    assert actions == ["campaign.lookback.check", "campaign.lookback.uncheck"]


def test_review_is_one_per_reviewer_and_revised_in_place(world: World, campaign: Campaign) -> None:
    stage = campaign.stages.get(order=1)
    services.review_stage(stage=stage, by=world.users["supervisor"], rating="fair", comment="学习心得有抄摘现象")
    services.review_stage(stage=stage, by=world.users["supervisor"], rating="fair", comment="学习心得有抄摘现象")
    services.review_stage(stage=stage, by=world.users["supervisor"], rating="good", comment="已整改")
    review = StageReview.objects.get(stage=stage)
    assert (review.rating, review.comment) == ("good", "已整改")
    assert AuditEntry.objects.filter(action="campaign.stage.review").count() == 2
    with pytest.raises(ValidationError, match="尚未开始"):
        services.review_stage(
            stage=campaign.stages.get(order=3), by=world.users["supervisor"], rating="good", comment="x"
        )


def test_open_stage_is_unique_per_campaign(world: World, campaign: Campaign) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Stage.objects.filter(campaign=campaign, order=2).update(status=Stage.Status.OPEN)


def test_start_date_is_the_secretarys_choice(world: World) -> None:
    campaign = open_campaign(world, starts_on=date(2005, 3, 1))
    assert campaign.stages.get(order=1).starts_on == date(2005, 3, 1)
