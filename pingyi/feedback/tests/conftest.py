from datetime import date
from typing import Any

import pytest

from conftest import World
from pingyi.campaigns import progress
from pingyi.campaigns import services as campaigns
from pingyi.campaigns.models import Campaign, CampaignTemplate


@pytest.fixture
def campaign(world: World) -> Campaign:
    """The advanced-nature campaign with its first stage (study) open."""
    return campaigns.create_campaign(
        org=world.orgs["branch"],
        template=CampaignTemplate.objects.get(code="advanced-nature-education"),
        title="先进性教育活动",
        starts_on=date(2005, 1, 10),
        by=world.users["secretary"],
    )


@pytest.fixture
def record(monkeypatch: Any) -> dict[str, set[int]]:
    """Only these providers exist during the test: `record["exams.sat"] = {ids}` marks those people done.
    Other apps' providers are set aside so a draft depends on nothing but what the test states."""
    done: dict[str, set[int]] = {}
    rules: dict[str, progress.RegisteredRule] = {}
    for name in ["study.attendance", "exams.sat", "study.lecture_given"]:

        def provider(item: Any, people: Any, name: str = name) -> set[int]:
            return set(people.filter(pk__in=done.get(name, set())).values_list("pk", flat=True))

        rules[name] = progress.RegisteredRule(name=name, label=name, func=provider)
    feedback_rule = progress.get_rule("feedback.acknowledged")
    assert feedback_rule is not None
    rules[feedback_rule.name] = feedback_rule
    monkeypatch.setattr(progress, "_rules", rules)
    return done
