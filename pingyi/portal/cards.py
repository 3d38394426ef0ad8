"""The 待办 list at the top of the home page: every app's `home.cards(user)` (docs/apps.md)."""

from typing import Any

from pingyi.core.hooks import HomeCard, app_modules


def cards_for(user: Any) -> list[HomeCard]:
    found: list[HomeCard] = []
    for module in app_modules("home"):
        found += module.cards(user)
    return found
