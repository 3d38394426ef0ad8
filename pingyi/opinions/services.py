"""The only place that writes opinion rounds and opinions."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pingyi.core import audit
from pingyi.org.models import Person

from .models import Opinion, OpinionRound


@transaction.atomic
def record_opinion(
    *,
    round: OpinionRound,
    channel: str,
    text: str,
    concerns_person: Person | None = None,
    concerns_unit: str = "",
    by: Any,
    **fields: Any,
) -> Opinion:
    """One opinion from any channel; talks and life meetings call this for the opinions raised in them."""
    opinion = Opinion.objects.create(
        round=round,
        channel=channel,
        text=text.strip(),
        concerns_person=concerns_person,
        concerns_unit=concerns_unit.strip(),
        **fields,
    )
    audit.record(actor=by, action="opinions.recorded", org=round.org, target=opinion, data={"channel": channel})
    return opinion
