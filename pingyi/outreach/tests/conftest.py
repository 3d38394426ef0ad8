from typing import Any

import pytest

from conftest import World, add_member, add_retired, open_campaign, ten_days_ago
from pingyi.org.models import MemberStatus


@pytest.fixture
def away(world: World) -> Any:
    """A member working away from home (外出党员) with a login, like the one in the source who missed the test."""
    return add_member(world, "冯外出", login="away", status=MemberStatus.AWAY)


@pytest.fixture
def retired(world: World) -> Any:
    return add_retired(world)


@pytest.fixture
def campaign(world: World) -> Any:
    """The branch's campaign, ten days into stage 1: what a test records today falls within the stage."""
    return open_campaign(world, starts_on=ten_days_ago())
