"""Apps put what waits for the viewer at the top of the home page."""

import types
from typing import Any

import pytest

from conftest import World
from pingyi.core.hooks import HomeCard
from pingyi.portal import cards

pytestmark = pytest.mark.django_db


def test_an_apps_cards_show_on_home_for_the_user_they_name(world: World, monkeypatch: Any) -> None:
    module = types.ModuleType("pingyi.cardtest.home")
    member = world.users["member"]
    module.cards = lambda user: (  # type: ignore[attr-defined]
        [HomeCard(title="请确认书面反馈", url="/somewhere/", tone="warning")] if user == member else []
    )
    real = cards.app_modules
    monkeypatch.setattr(cards, "app_modules", lambda hook: [*real(hook), module])
    page = world.client("member").get("/").content.decode()
    assert "请确认书面反馈" in page and 'href="/somewhere/"' in page
    assert "请确认书面反馈" not in world.client("secretary").get("/").content.decode()
