"""Opinion rounds, and recording an opinion from any channel."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Campaign
from pingyi.core import audit
from pingyi.org.models import OrgUnit, Person

from ..models import (
    Opinion,
    OpinionRound,
)

# PostgreSQL refuses NUL in text, and other control characters only hide what was written.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    return _CONTROL.sub("", text or "").strip()


@transaction.atomic
def create_round(
    *,
    org: OrgUnit,
    title: str,
    by: Any,
    campaign: Campaign | None = None,
    intro: str = "",
    audiences: Sequence[str] = (),
    topics: Sequence[str] = (),
    closes_on: date | None = None,
    accepts_public: bool = True,
    requires_code: bool = False,
    is_demo: bool = False,
) -> OpinionRound:
    round_ = OpinionRound.objects.create(
        org=org,
        campaign=campaign,
        title=title.strip(),
        intro=clean_text(intro),
        audiences=list(audiences),
        topics=list(topics),
        closes_on=closes_on,
        accepts_public=accepts_public,
        requires_code=requires_code,
        created_by=audit.user_of(by),
        is_demo=is_demo,
    )
    audit.record(actor=by, action="opinions.round_created", org=org, target=round_, data={"title": round_.title})
    return round_


ROUND_FIELDS = ("title", "intro", "audiences", "topics", "closes_on", "accepts_public", "requires_code")


@transaction.atomic
def update_round(*, round: OpinionRound, by: Any, **fields: Any) -> OpinionRound:
    changed = {}
    for name in ROUND_FIELDS:
        if name in fields and getattr(round, name) != fields[name]:
            setattr(round, name, fields[name])
            changed[name] = fields[name]
    if changed:
        round.save(update_fields=list(changed))
        audit.record(actor=by, action="opinions.round_updated", org=round.org, target=round, data=changed)
    return round


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
    text = clean_text(text)
    if not text:
        raise ValidationError(_("意见内容不能为空"))
    opinion = Opinion.objects.create(
        round=round,
        channel=channel,
        text=text,
        concerns_person=concerns_person,
        concerns_unit=concerns_unit.strip(),
        recorded_by=fields.pop("recorded_by", audit.user_of(by)),
        **fields,
    )
    audit.record(actor=by, action="opinions.recorded", org=round.org, target=opinion, data={"channel": channel})
    return opinion


def text_lines(text: str) -> list[str]:
    return [line for line in (clean_text(raw) for raw in (text or "").splitlines()) if line]
