from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from conftest import World
from pingyi.opinions import services
from pingyi.opinions.models import OpinionRound


@pytest.fixture(autouse=True)
def fresh_rate_counters() -> Iterator[None]:
    """Rate-limit counters live in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


def make_round(world: World, **fields: Any) -> OpinionRound:
    fields.setdefault("title", "征求对局机关党支部的意见")
    return services.create_round(org=world.orgs["branch"], by=world.users["secretary"], **fields)


@pytest.fixture
def round_(world: World) -> OpinionRound:
    return make_round(world, topics=["campaign", "bureau_work"], audiences=["employer", "public"])
