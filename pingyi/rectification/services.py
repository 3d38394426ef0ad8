"""The only place that writes rectification items."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from pingyi.campaigns.models import Campaign
from pingyi.core import audit
from pingyi.org.models import OrgUnit, Person

from .models import RectificationItem, Source


@transaction.atomic
def create_item(
    *,
    org: OrgUnit,
    title: str,
    source: str = Source.OTHER,
    source_label: str = "",
    campaign: Campaign | None = None,
    detail: str = "",
    owner: Person | None = None,
    measures: str = "",
    due_on: date | None = None,
    by: Any,
) -> RectificationItem:
    """A new item; callers turning a record into an item set the record's link in the same transaction."""
    item = RectificationItem.objects.create(
        org=org,
        campaign=campaign,
        title=title.strip()[:200],
        detail=detail,
        source=source,
        source_label=source_label[:200],
        owner=owner,
        measures=measures,
        due_on=due_on,
        created_by=audit.user_of(by),
    )
    audit.record(actor=by, action="rectification.created", org=org, target=item, data={"source": source})
    return item
