"""The burden meter counts what each shipped template asks people to enter, and flags work the system cannot hold."""

from typing import Any

import pytest
from django.urls import reverse

from conftest import World
from pingyi.campaigns import progress
from pingyi.campaigns.models import CampaignTemplate
from pingyi.campaigns.spec import parse_template
from pingyi.reports.burden import RULES, template_load

pytestmark = pytest.mark.django_db


def test_every_rule_the_shipped_templates_use_has_a_declared_burden(world: World) -> None:
    used = {
        item.rule
        for template in CampaignTemplate.objects.all()
        for stage in parse_template(template.body).stages
        for item in stage.work_items
    }
    assert used and used <= set(RULES), sorted(used - set(RULES))


def test_an_item_no_provider_records_is_a_defect(world: World, monkeypatch: Any) -> None:
    template = CampaignTemplate.objects.get(code="democratic-evaluation")
    real = progress.get_rule

    def hidden(name: str) -> Any:
        return None if name == "talks.covered" else real(name)

    monkeypatch.setattr("pingyi.reports.burden.get_rule", hidden)
    stages = template_load(template)
    flagged = [item.name for stage in stages for item in stage.items if item.defect]
    assert "开展谈心谈话" in flagged
    assert flagged == [item.name for stage in stages for item in stage.items if hidden(item.rule) is None]
    assert stages[1].totals["member"] == sum(RULES[i.rule].entries.get("member", 0) for i in stages[1].items)


def test_the_page_is_for_those_who_view_the_organisation(world: World) -> None:
    assert "填报负担" in world.client("supervisor").get(reverse("reports:burden")).content.decode()
    assert world.client("member").get(reverse("reports:burden")).status_code == 403
