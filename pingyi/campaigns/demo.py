"""The demo branch's advanced-nature campaign, built through the services and marked as demo."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from pingyi.core.hooks import DEMO
from pingyi.org.models import OrgUnit, Person

from . import services as campaigns
from .models import Campaign, CampaignTemplate


def seed(nodes: dict[str, OrgUnit], people: dict[str, Person]) -> None:
    """The advanced-nature campaign, its first stage signed off: stage 2 (分析评议) is open, as in the source."""
    branch = nodes["branch"]
    if Campaign.objects.filter(org=branch, is_demo=True).exists():
        return
    template = CampaignTemplate.objects.get(code="advanced-nature-education")
    secretary = get_user_model().objects.get(username="secretary")
    campaign = campaigns.create_campaign(
        org=branch,
        template=template,
        title=f"保持共产党员先进性教育活动{DEMO}",
        starts_on=timezone.localdate() - timedelta(days=65),
        by=secretary,
        is_demo=True,
    )
    first = campaign.stages.order_by("order").first()
    assert first is not None
    for item in first.lookback_items.all():
        campaigns.check_lookback_item(item=item, by=secretary)
    campaigns.sign_off_stage(stage=first, by=secretary)
