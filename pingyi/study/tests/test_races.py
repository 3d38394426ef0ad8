"""Concurrent check-ins and register taps leave one row per member and activity (PostgreSQL, threads)."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from conftest import World, add_members
from pingyi.study import services
from pingyi.study.models import Attendance

from .conftest import schedule

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


def race(works: list[Callable[[], Any]]) -> list[BaseException]:
    barrier = threading.Barrier(len(works))
    errors: list[BaseException] = []

    def run(work: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            work()
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(w,)) for w in works]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_members_checking_in_at_once_while_the_secretary_taps_all_present_get_one_row_each(world: World) -> None:
    services.save_settings(org=world.orgs["branch"], self_checkin=True, photos=False, hours_required=32, by=None)
    people = add_members(world, 7)
    activity = schedule(world, start=timezone.now())
    works: list[Callable[[], Any]] = [
        (lambda p=p: services.check_in(activity=activity, person=p, by=None)) for p in people for _ in range(2)
    ]
    works.append(lambda: services.mark_all_present(activity=activity, by=None))
    assert race(works) == []
    assert Attendance.objects.filter(activity=activity).count() == 8  # the seven and the member
    assert Attendance.objects.filter(activity=activity, status="present").count() == 8


def test_racing_taps_on_one_row_leave_one_row(world: World) -> None:
    activity = schedule(world)
    member = world.people["member"]
    works: list[Callable[[], Any]] = [
        (lambda: services.mark_attendance(activity=activity, person=member, status="absent", by=None)) for _ in range(6)
    ]
    assert race(works) == []
    assert Attendance.objects.filter(activity=activity, person=member).count() == 1
