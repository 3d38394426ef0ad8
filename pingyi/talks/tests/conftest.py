from typing import Any

import pytest

from conftest import World, add_member, ten_days_ago
from pingyi.org.models import Person


@pytest.fixture
def campaign_options() -> dict[str, Any]:
    """The democratic-evaluation campaign, started ten days ago so talks held today fall in the counted year."""
    return {"code": "democratic-evaluation", "starts_on": ten_days_ago()}


@pytest.fixture
def committee_member(world: World) -> Person:
    """A committee member with a login of their own (the committee persona has no member record)."""
    person = add_member(world, "陈支委", committee=True)
    person.user = world.users["committee"]
    person.save(update_fields=["user"])
    return person
