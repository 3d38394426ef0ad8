"""One outbox for every app: in-app notices, and other channels behind one interface.

    register_kind("reports.overdue", _("逾期提醒"))          # in the app's notice_kinds.py (docs/apps.md)
    notify(users=[...], kind="reports.overdue", title=..., url=...)   # inside the sending service

A person gets at most one notice of a kind a day (a unique constraint, so it holds when two people press
the same button at once) and none of a kind they muted. The kernel knows users, not people: the apps
above turn their members into logins. `notify` writes no audit entry of its own: it runs inside the
service that decided to send (and wrote that entry), and commits or rolls back with it.

Every notice is in the inbox. Other channels (SMS, WeChat) are classes named in
settings.PINGYI_NOTIFY_CHANNELS; each gets the notices after the transaction commits, so a rolled-back
action sends nothing. The default is `LogChannel`, which writes a log line: no provider is reachable here.
A real channel looks up the address itself (it may live in any app, e.g. one that reads the phone from
the person record) and says per notice whether it was sent; what it says is kept in `deliveries`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from .audit import record
from .models import Mute, Notification

log = logging.getLogger(__name__)

IN_APP = "in_app"


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise | str


_kinds: dict[str, Kind] = {}


def register_kind(code: str, label: Promise | str) -> Kind:
    """Declare a kind of notice an app sends, so a member can see it and mute it. Call at import time."""
    if "." not in code:
        raise ValueError(f"a notice kind is named after its app, like 'reports.overdue', not {code!r}")
    _kinds[code] = Kind(code, label)
    return _kinds[code]


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: k.code)


def kind_label(code: str) -> str:
    found = _kinds.get(code)
    return str(found.label) if found else code


# --- Channels ----------------------------------------------------------------------------------------


class Channel:
    """A way out besides the inbox. `send` returns, per notice id, "sent" or why it was not sent."""

    name = "channel"

    def send(self, notices: Sequence[Notification]) -> dict[int, str]:
        raise NotImplementedError


class LogChannel(Channel):
    """Stands in for SMS/WeChat where no provider is reachable: one log line per notice."""

    name = "log"

    def send(self, notices: Sequence[Notification]) -> dict[int, str]:
        for n in notices:
            log.info("notice %s to user %s: %s %s", n.kind, n.recipient_id, n.title, n.url)
        return {n.pk: "sent" for n in notices}


DEFAULT_CHANNELS = ["pingyi.core.notifications.LogChannel"]


def channels() -> list[Channel]:
    """settings.PINGYI_NOTIFY_CHANNELS (dotted class paths) when set, else the log channel."""
    return [import_string(path)() for path in getattr(settings, "PINGYI_NOTIFY_CHANNELS", DEFAULT_CHANNELS)]


def deliver(ids: Sequence[int]) -> None:
    """Hand the notices to every configured channel and keep what each said. A failing channel is logged
    and noted on its notices; the others still send, and the inbox already has them."""
    notices = list(Notification.objects.filter(pk__in=ids).select_related("recipient"))
    if not notices:
        return
    outcome: dict[int, dict[str, str]] = {n.pk: {IN_APP: "sent"} for n in notices}
    for channel in channels():
        try:
            said = channel.send(notices)
        except Exception as exc:  # one provider down must not stop the others
            log.exception("notice channel %s failed", channel.name)
            said = {n.pk: f"failed: {exc.__class__.__name__}" for n in notices}
        for pk, result in said.items():
            if pk in outcome:
                outcome[pk][channel.name] = result
    for n in notices:
        n.deliveries = outcome[n.pk]
    Notification.objects.bulk_update(notices, ["deliveries"])


# --- Sending -----------------------------------------------------------------------------------------


def _user_ids(users: Iterable[Any]) -> set[int]:
    return {u if isinstance(u, int) else u.pk for u in users if u is not None}


def notify(
    *, users: Iterable[Any], kind: str, title: str, body: str = "", url: str = "", day: date | None = None
) -> int:
    """Queue a notice of `kind` for each of `users` (users or their ids); returns how many were queued.

    Skipped: users who muted the kind, and users who already have one of this kind on `day` (today by
    default). Channels other than the inbox get them when the surrounding transaction commits.
    """
    if kind not in _kinds:
        raise ValueError(f"unknown notice kind {kind!r}: register it in the app's notice_kinds.py")
    if url.startswith(("//", "http:", "https:")):
        raise ValueError("a notice links inside the site")
    day = day or timezone.localdate()
    wanted = _user_ids(users)
    wanted -= set(Mute.objects.filter(kind=kind, user_id__in=wanted).values_list("user_id", flat=True))
    if not wanted:
        return 0
    batch = uuid.uuid4()
    with transaction.atomic():
        Notification.objects.bulk_create(
            [
                Notification(recipient_id=uid, kind=kind, day=day, title=title[:200], body=body, url=url, batch=batch)
                for uid in sorted(wanted)
            ],
            ignore_conflicts=True,  # the one-a-day constraint decides, also against a concurrent sender
        )
        ids = list(Notification.objects.filter(batch=batch).values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: deliver(ids))
    return len(ids)


# --- The inbox ---------------------------------------------------------------------------------------


def inbox(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user: Any, notice_id: int | None = None) -> int:
    """Mark one of the user's notices read (or all of them); returns how many changed. Not audited: reading
    one's own mail is not a change to the record."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notice_id is not None:
        unread = unread.filter(pk=notice_id)
    return unread.update(read_at=timezone.now())


def muted_kinds(user: Any) -> set[str]:
    return set(Mute.objects.filter(user=user).values_list("kind", flat=True))


@transaction.atomic
def set_muted(*, user: Any, muted: Iterable[str]) -> bool:
    """The kinds this user does not want, replacing the earlier choice; True when it changed."""
    wanted = {k for k in muted if k in _kinds}
    before = muted_kinds(user)
    if wanted == before:
        return False
    Mute.objects.filter(user=user).exclude(kind__in=wanted).delete()
    Mute.objects.bulk_create([Mute(user=user, kind=k) for k in wanted - before], ignore_conflicts=True)
    record(
        actor=user,
        action="notice.mute",
        target=f"auth.user:{user.pk}",
        data={"muted": sorted(wanted - before), "unmuted": sorted(before - wanted)},
    )
    return True
