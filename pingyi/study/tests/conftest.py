from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from pingyi.study import services
from pingyi.study.kinds import load
from pingyi.study.models import Activity, ActivityKind


@pytest.fixture(autouse=True)
def kinds(db: Any) -> None:
    """The shipped kinds, loaded again when a transactional (browser) test flushed the migration's rows."""
    load(ActivityKind)


def kind(code: str) -> ActivityKind:
    return ActivityKind.objects.get(code=code)


def schedule(
    world: World, *, code: str = "study", start: datetime | None = None, hours: int = 2, **fields: Any
) -> Activity:
    """An activity of the test branch (by default a two-hour study session starting in an hour)."""
    start = start or timezone.now().replace(microsecond=0) + timedelta(hours=1)
    fields.setdefault("title", f"学习{Activity.objects.count() + 1}")
    if kind(code).needs_lecturer:
        fields.setdefault("lecturer_name", "党校讲师")
    plan = services.Plan(kind=kind(code), starts_at=start, ends_at=start + timedelta(hours=hours), **fields)
    return services.schedule_activity(org=world.orgs["branch"], plan=plan, by=world.users["secretary"])


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))
