from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import World, ten_days_ago
from pingyi.campaigns import progress
from pingyi.campaigns.models import Campaign
from pingyi.meetings import services
from pingyi.meetings.models import LifeMeeting
from pingyi.org.models import Person


def plan(world: World, campaign: Campaign, attendees: list[Person], **fields: Any) -> LifeMeeting:
    fields.setdefault("kind", "organisational")
    fields.setdefault("theme", "专题组织生活会")
    fields.setdefault("held_on", timezone.localdate() + timedelta(days=3))
    return services.plan_meeting(
        campaign=campaign, plan=services.Plan(**fields), attendees=attendees, by=world.users["secretary"]
    )


@pytest.fixture
def campaign_options() -> dict[str, Any]:
    """Started ten days ago, so a meeting planned for next week falls inside it."""
    return {"starts_on": ten_days_ago()}


@pytest.fixture
def provide() -> Iterator[Callable[[str, set[int]], None]]:
    """Stand in for other apps' progress providers: `provide(name, {person ids done})`.

    Until a test calls it, the writings and opinions rules are unregistered (as before those apps land).
    """
    names = ["writings.self_analysis_accepted", "opinions.solicited"]
    saved = {name: progress.get_rule(name) for name in names}
    for name in names:
        progress.unregister_rule(name)

    def register(name: str, ids: set[int]) -> None:
        def provider(item: Any, people: Any) -> set[int]:
            return set(people.filter(pk__in=ids).values_list("pk", flat=True))

        progress.register_rule(name, name)(provider)

    yield register
    for name, rule in saved.items():
        progress.unregister_rule(name)
        if rule is not None:
            progress.register_rule(name, rule.label, rule.url_name)(rule.func)
