"""Talks: whom the person talked with, and the confidential summaries of those talks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from pingyi.core.personal import ERASED, RetentionRule, rows

from .models import RaisedOpinion, Talk, TalkParticipant


def export(person: Any) -> dict[str, list[dict[str, Any]]]:
    talks = Talk.objects.filter(participants__person=person).distinct()
    return {
        "talks": rows(talks, "id", "held_on", "topic", "summary"),
        "talk_participants": rows(
            TalkParticipant.objects.filter(talk__in=talks).exclude(person=person), "talk_id", "person__name", "side"
        ),
        "opinions_raised_in_talks_about_you": rows(RaisedOpinion.objects.filter(concerns_person=person), "text"),
    }


def anonymise(person: Any) -> dict[str, int]:
    """Who talked with whom stays, so coverage counts hold; a summary cannot be split between its participants,
    so the summaries of the person's talks go."""
    talks = Talk.objects.filter(participants__person=person).exclude(summary=ERASED)
    return {
        "talk_summaries": Talk.objects.filter(pk__in=talks.values("pk")).update(summary=ERASED),
        "raised_opinions": RaisedOpinion.objects.filter(concerns_person=person).update(concerns_person=None),
    }


def _clear_old_summaries(cutoff: dt.datetime) -> int:
    old = Talk.objects.filter(held_on__lt=cutoff.date()).exclude(summary=ERASED)
    return old.update(summary=ERASED)


RETENTION = [RetentionRule("talks.summaries", _("谈心谈话摘要"), 3 * 365, _clear_old_summaries)]
