"""The outbox: one notice of a kind per person a day, muted kinds skipped, channels only after commit."""

import logging
import threading
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction

from pingyi.core import notifications
from pingyi.core.models import AuditEntry, Notification
from pingyi.core.notifications import Channel, kinds, mark_read, notify, register_kind, set_muted, unread_count

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def kind() -> Iterator[str]:
    register_kind("tests.reminder", "测试提醒")
    yield "tests.reminder"
    notifications._kinds.pop("tests.reminder", None)


@pytest.fixture
def users() -> list[Any]:
    return [get_user_model().objects.create_user(f"u{n}") for n in range(3)]


def test_a_person_gets_one_notice_of_a_kind_a_day(users: list[Any], kind: str) -> None:
    assert notify(users=users, kind=kind, title="该交心得了", day=DAY) == 3
    assert notify(users=users, kind=kind, title="该交心得了", day=DAY) == 0
    assert notify(users=[users[0]], kind=kind, title="明天再提醒", day=DAY + timedelta(days=1)) == 1
    assert Notification.objects.filter(recipient=users[0]).count() == 2


def test_a_second_send_reaches_only_the_new_people(users: list[Any], kind: str) -> None:
    notify(users=users[:1], kind=kind, title="t", day=DAY)
    assert notify(users=users, kind=kind, title="t", day=DAY) == 2


def test_muted_kinds_are_not_sent(users: list[Any], kind: str) -> None:
    set_muted(user=users[0], muted=[kind])
    assert notify(users=users, kind=kind, title="t", day=DAY) == 2
    assert not Notification.objects.filter(recipient=users[0]).exists()
    set_muted(user=users[0], muted=[])
    assert notify(users=users, kind=kind, title="t", day=DAY) == 1


def test_muting_is_audited_and_unknown_kinds_are_ignored(users: list[Any], kind: str) -> None:
    assert set_muted(user=users[0], muted=[kind, "nobody.sends_this"]) is True
    assert set_muted(user=users[0], muted=[kind]) is False  # nothing changed, nothing written
    entry = AuditEntry.objects.get(action="notice.mute")
    assert entry.data == {"muted": [kind], "unmuted": []}


def test_kinds_are_registered_by_the_apps(users: list[Any]) -> None:
    with pytest.raises(ValueError, match="unknown notice kind"):
        notify(users=users, kind="tests.typo", title="t")
    with pytest.raises(ValueError):
        register_kind("nodot", "x")
    assert "tests.reminder" in {k.code for k in kinds()}


def test_a_notice_links_only_inside_the_site(users: list[Any], kind: str) -> None:
    with pytest.raises(ValueError):
        notify(users=users, kind=kind, title="t", url="https://example.com/")


def test_inbox_counts_and_marks_read(users: list[Any], kind: str) -> None:
    notify(users=users[:1], kind=kind, title="a", day=DAY)
    notify(users=users[:1], kind=kind, title="b", day=DAY + timedelta(days=1))
    assert unread_count(users[0]) == 2
    first = Notification.objects.filter(recipient=users[0]).first()
    assert first is not None
    assert mark_read(user=users[1], notice_id=first.pk) == 0  # not theirs
    assert mark_read(user=users[0], notice_id=first.pk) == 1
    assert unread_count(users[0]) == 1
    assert mark_read(user=users[0]) == 1 and unread_count(users[0]) == 0


def test_channels_send_after_commit_and_keep_what_they_said(
    users: list[Any], kind: str, django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    caplog.set_level(logging.INFO, logger="pingyi.core.notifications")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(users=users, kind=kind, title="学习提醒", day=DAY)
    assert "学习提醒" not in caplog.text  # nothing left before the commit
    for callback in callbacks:
        callback()
    assert caplog.text.count("学习提醒") == 3
    assert [n.deliveries for n in Notification.objects.all()] == [{"in_app": "sent", "log": "sent"}] * 3


def test_a_rolled_back_action_sends_nothing(users: list[Any], kind: str, caplog: Any) -> None:
    caplog.set_level(logging.INFO, logger="pingyi.core.notifications")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(users=users, kind=kind, title="不该发出", day=DAY)
        raise RuntimeError("the service failed after deciding to send")
    assert "不该发出" not in caplog.text
    assert not Notification.objects.exists()


class BrokenChannel(Channel):
    name = "sms"

    def send(self, notices: Sequence[Notification]) -> dict[int, str]:
        raise ConnectionError("provider unreachable")


def test_a_failing_channel_is_noted_and_the_others_still_send(
    users: list[Any], kind: str, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PINGYI_NOTIFY_CHANNELS = [f"{__name__}.BrokenChannel", "pingyi.core.notifications.LogChannel"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=users[:1], kind=kind, title="t", day=DAY)
    notice = Notification.objects.get()
    assert notice.deliveries == {"in_app": "sent", "sms": "failed: ConnectionError", "log": "sent"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent inserts need PostgreSQL")
def test_concurrent_senders_queue_one_notice_each(users: list[Any], kind: str) -> None:
    """Two secretaries press "remind" at the same moment: each person gets one notice, and the counts the
    two pages show add up to the people reminded."""
    barrier = threading.Barrier(6)
    counts: list[int] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                counts.append(notify(users=users, kind=kind, title="t", day=DAY))
        except BaseException as exc:  # asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Notification.objects.count() == 3
    assert sum(counts) == 3
