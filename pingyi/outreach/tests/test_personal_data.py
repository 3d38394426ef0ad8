"""What outreach holds about a person: exported, and cleared on anonymisation without changing the counts."""

from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from pingyi.core.personal import ERASED
from pingyi.outreach import personal_data, selectors, services

pytestmark = pytest.mark.django_db


def test_a_contact_is_exported_and_its_words_cleared_while_it_still_counts(
    world: World, campaign: Any, away: Any
) -> None:
    services.record_contact(
        person=away, kind="phone", contacted_on=timezone.localdate(), contacted_by="书记", result="住院治疗中",
        remote=True, by=None,
    )  # fmt: skip
    exported = personal_data.export(away)
    assert exported["contacts"][0]["result"] == "住院治疗中"
    assert personal_data.anonymise(away) == {"contact_results": 1}
    assert "住院治疗中" not in str(personal_data.export(away)) and ERASED in str(personal_data.export(away))
    stats = selectors.stage_statistics(campaign, campaign.stages.get(order=1))
    assert (stats.contacted, stats.remote) == (1, 1)
