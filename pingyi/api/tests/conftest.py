from typing import Any

import pytest
from django.test import Client

from conftest import World
from pingyi.api import services
from pingyi.campaigns.tests.conftest import rule_done_by, untracked  # noqa: F401  (shared fixtures)


@pytest.fixture
def bearer(world: World) -> Any:
    """`bearer("secretary")` is a client that sends a fresh personal token of that persona, and no cookie."""

    def make(persona: str) -> Client:
        _, secret = services.create_api_token(user=world.users[persona], name="test", by=None)
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make
