"""The busiest pages of bench/load.py's mix keep their query budgets, whatever the size of the branch.

Each query costs a web worker a few milliseconds of CPU (building it) besides the database's own: on a
two-core server the member's home page and the campaign dashboards are most of the load
(docs/deploy.md, "Capacity"). A budget here is what the page needs today; raise it only knowingly.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import World, add_member, add_members
from pingyi.evaluation import services as evaluation
from pingyi.study import services as study
from pingyi.study.models import ActivityKind

pytestmark = pytest.mark.django_db

# (persona, page, most queries): the page's URL from the campaign.
PAGES: list[tuple[str, Callable[[Any], str], int]] = [
    ("member", lambda campaign: "/", 26),
    ("member", lambda campaign: f"/campaigns/{campaign.pk}/", 20),
    ("secretary", lambda campaign: f"/campaigns/{campaign.pk}/", 20),
    ("secretary", lambda campaign: "/", 29),
    ("supervisor", lambda campaign: "/", 23),  # the roll-up card reads its freshness live (ADR 0016)
]


@pytest.fixture
def busy(world: World, campaign: Any) -> Any:
    """The bench's branch in small: a study session on now with self check-in, an open evaluation round."""
    branch = world.orgs["branch"]
    add_members(world, 2)
    add_member(world, "李委员", login="leader1", committee=True, leader=True)
    study.save_settings(org=branch, self_checkin=True, photos=False, hours_required=32, by=None)
    now = timezone.now()
    plan = study.Plan(
        kind=ActivityKind.objects.get(code="study"),
        title="集中学习党章",
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=3),
    )
    study.schedule_activity(org=branch, plan=plan, by=world.users["secretary"])
    round_ = evaluation.create_round(campaign=campaign, org=branch, title="民主测评", by=None)
    evaluation.open_round(round=round_, by=None)
    return campaign


@pytest.mark.parametrize(("persona", "page", "budget"), PAGES, ids=[f"{p[0]} {i}" for i, p in enumerate(PAGES)])
def test_a_busy_page_keeps_its_query_budget_as_the_branch_grows(
    world: World, busy: Any, persona: str, page: Callable[[Any], str], budget: int, django_assert_max_num_queries: Any
) -> None:
    url = page(busy)
    client = world.client(persona)

    def queries() -> int:
        client.get(url)  # a session's first use may save it (the idle timeout): not the page's own cost
        with django_assert_max_num_queries(budget) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = queries()
    for n in range(6):  # more people of each kind: the count must not follow
        add_member(world, f"委员{n}", login=f"member{n}", committee=n % 2 == 0, leader=n % 3 == 0)
    assert queries() == small
