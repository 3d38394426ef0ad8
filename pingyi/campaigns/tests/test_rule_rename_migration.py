"""Migration 0003 moves stored rule names to the name of the app that provides them."""

import importlib
from typing import Any

import pytest
from django.apps import apps

from conftest import World
from pingyi.campaigns.models import CampaignTemplate, WorkItem

migration = importlib.import_module("pingyi.campaigns.migrations.0003_rename_progress_rules")
pytestmark = pytest.mark.django_db


def test_old_rule_names_in_templates_and_campaigns_are_renamed(world: World, campaign: Any) -> None:
    item = WorkItem.objects.filter(stage__campaign=campaign, rule="talks.covered").first()
    assert item is not None
    migration.backwards(apps, None)  # a database from before the rename
    item.refresh_from_db()
    template = CampaignTemplate.objects.get(code="advanced-nature-education")
    assert item.rule == "opinions.talked" and "rule: opinions.talked\n" in template.body

    migration.forwards(apps, None)
    item.refresh_from_db()
    template.refresh_from_db()
    assert item.rule == "talks.covered"
    for old, new in migration.RENAMES.items():
        assert old not in template.body and f"rule: {new}" in template.body
    assert not WorkItem.objects.filter(rule__in=list(migration.RENAMES)).exists()
