"""Things waiting for the viewer, contributed by the domain apps to the home page.

An app in settings.DOMAIN_APPS may provide `pingyi/<app>/home.py` with
`cards(user) -> list[HomeCard]`: e.g. a ballot to cast, feedback to acknowledge, an overdue
rectification item. Keep each to a query or two; the home page calls every app on each visit.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class HomeCard:
    title: str
    url: str
    detail: str = ""
    tone: str = "primary"  # a Bootstrap colour: primary, warning, danger, success, secondary


def cards_for(user: Any) -> list[HomeCard]:
    found: list[HomeCard] = []
    for app in settings.DOMAIN_APPS:
        try:
            module = importlib.import_module(f"pingyi.{app}.home")
        except ModuleNotFoundError:
            continue
        found += module.cards(user)
    return found
