"""Symposia (座谈会) and visits (走访), the opinions raised there, and the follow-up symposium."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pingyi.core import audit
from pingyi.org.models import Person

from ..models import (
    Channel,
    Invitee,
    LetterBatch,
    OpinionRound,
    Symposium,
    Visit,
)
from .letters import start_letter_run
from .rounds import clean_text, record_opinion, text_lines


@transaction.atomic
def record_symposium(
    *,
    round: OpinionRound,
    title: str,
    held_on: date,
    by: Any,
    place: str = "",
    hosts: Iterable[Person] = (),
    attendees: str = "",
    minutes: str = "",
    opinions: str = "",
    invitees: Iterable[Invitee] = (),
    is_followup: bool = False,
) -> Symposium:
    """A symposium and the opinions raised in it (one per line of `opinions`)."""
    symposium = Symposium.objects.create(
        round=round,
        title=title.strip(),
        held_on=held_on,
        place=place.strip(),
        attendees=clean_text(attendees),
        minutes=clean_text(minutes),
        is_followup=is_followup,
    )
    symposium.hosts.set(list(hosts))
    symposium.invitees.set(list(invitees))
    audit.record(actor=by, action="opinions.symposium_recorded", org=round.org, target=symposium)
    _raise_opinions(symposium=symposium, text=opinions, by=by)
    return symposium


@transaction.atomic
def update_symposium(
    *,
    symposium: Symposium,
    by: Any,
    title: str,
    held_on: date,
    place: str = "",
    hosts: Iterable[Person] = (),
    attendees: str = "",
    minutes: str = "",
    opinions: str = "",
) -> Symposium:
    """Edit the record; new lines in `opinions` are added as further opinions raised there."""
    symposium.title, symposium.held_on, symposium.place = title.strip(), held_on, place.strip()
    symposium.attendees, symposium.minutes = clean_text(attendees), clean_text(minutes)
    symposium.save()
    symposium.hosts.set(list(hosts))
    audit.record(actor=by, action="opinions.symposium_updated", org=symposium.round.org, target=symposium)
    _raise_opinions(symposium=symposium, text=opinions, by=by)
    return symposium


def _raise_opinions(*, symposium: Symposium, text: str, by: Any) -> None:
    for line in text_lines(text):
        record_opinion(
            round=symposium.round,
            channel=Channel.SYMPOSIUM,
            text=line,
            symposium=symposium,
            source_name=symposium.title,
            by=by,
        )


@transaction.atomic
def record_visit(
    *,
    round: OpinionRound,
    visited: str,
    visited_on: date,
    by: Any,
    visitors: Iterable[Person] = (),
    notes: str = "",
    opinions: str = "",
    source_group: str = "",
) -> Visit:
    visit = Visit.objects.create(round=round, visited=visited.strip(), visited_on=visited_on, notes=clean_text(notes))
    visit.visitors.set(list(visitors))
    audit.record(actor=by, action="opinions.visit_recorded", org=round.org, target=visit)
    for line in text_lines(opinions):
        record_opinion(
            round=round,
            channel=Channel.VISIT,
            text=line,
            visit=visit,
            source_name=visit.visited,
            source_group=source_group,
            by=by,
        )
    return visit


def units_that_gave_opinions(round: OpinionRound) -> list[Invitee]:
    return list(round.invitees.filter(opinions__isnull=False).distinct().order_by("id"))


@transaction.atomic
def plan_followup(
    *,
    round: OpinionRound,
    invitees: Sequence[Invitee],
    title: str,
    held_on: date,
    by: Any,
    base_url: str,
    place: str = "",
) -> tuple[Symposium, LetterBatch]:
    """A follow-up symposium with the units that gave opinions, and their invitation letters (one job)."""
    if not invitees:
        raise ValidationError(_("请至少选择一个单位。"))
    symposium = record_symposium(
        round=round, title=title, held_on=held_on, place=place, invitees=invitees, is_followup=True, by=by
    )
    batch = start_letter_run(
        round=round, by=by, base_url=base_url, kind=LetterBatch.Kind.INVITATIONS, symposium=symposium
    )
    return symposium, batch
