"""Reads other apps rely on. Keep these signatures: the evaluation committee page calls them."""

from __future__ import annotations

from django.db.models import QuerySet

from pingyi.campaigns.models import Campaign
from pingyi.org.models import Person

from .models import Opinion, OpinionStatus


def opinions_about(person: Person, campaign: Campaign | None = None) -> QuerySet[Opinion]:
    """Opinions gathered about one person (merged duplicates left out), newest first."""
    found = Opinion.objects.filter(concerns_person=person).exclude(status=OpinionStatus.MERGED)
    if campaign is not None:
        found = found.filter(round__campaign=campaign)
    return found.select_related("round")
