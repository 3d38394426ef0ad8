"""Two submits racing (a double tap on a slow line) leave one report and one acknowledgement (PostgreSQL)."""

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from conftest import World, open_campaign
from pingyi.core.models import AuditEntry
from pingyi.feedback import services as feedback_services
from pingyi.rectification import services
from pingyi.rectification.models import Evidence

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def race(work: Callable[[], Any], n: int = 4) -> list[BaseException]:
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            work()
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_racing_reports_keep_one_set_of_evidence(world: World) -> None:
    item = services.create_item(org=world.orgs["branch"], title="窗口", owner=world.people["member"], by=None)

    def report() -> None:
        pdf = SimpleUploadedFile("签到.pdf", b"%PDF-1.4\n%%EOF\n")
        services.report_done(item=item, report="已整改", files=[pdf], by=world.users["member"])

    assert race(report) == []
    assert Evidence.objects.filter(item=item).count() == 1
    assert AuditEntry.objects.filter(action="rectification.reported").count() == 1


def test_racing_acknowledgements_count_once(world: World) -> None:
    campaign = open_campaign(world, "democratic-evaluation", starts_on=date(2026, 11, 1))
    feedback = feedback_services.draft_feedback(campaign=campaign, person=world.people["member"], by=None)
    feedback_services.edit_feedback(feedback=feedback, by=None, strengths="a", problems="b", direction="c")
    feedback_services.send_feedback(feedback=feedback, by=None)

    assert race(lambda: feedback_services.acknowledge(feedback=feedback, by=world.users["member"])) == []
    assert AuditEntry.objects.filter(action="feedback.acknowledged").count() == 1
