"""Opinions that concern the person, and the contact details of the people who gave opinions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from pingyi.core.personal import RetentionRule, rows

from .models import Invitee, LetterBatch, Opinion


def export(person: Any) -> dict[str, list[dict[str, Any]]]:
    """Opinions about the person, without who gave them: that is someone else's personal data."""
    about = Opinion.objects.filter(concerns_person=person)
    return {
        "opinions_about_you": rows(about, "round__title", "channel", "text", "status", "answer", "created_at"),
        "invited_as": rows(Invitee.objects.filter(person=person), "round__title", "name", "contact"),
    }


def anonymise(person: Any) -> dict[str, int]:
    """The opinions stay (they are about the branch's conduct and are counted); the link to the person goes."""
    return {
        "opinions_about": Opinion.objects.filter(concerns_person=person).update(concerns_person=None),
        "invitees": Invitee.objects.filter(person=person).update(person=None),
    }


def _clear_contact_details(cutoff: dt.datetime) -> int:
    old = Opinion.objects.filter(created_at__lt=cutoff).exclude(contact_name="", contact_phone="")
    return old.update(contact_name="", contact_phone="")


def _drop_letter_files(cutoff: dt.datetime) -> int:
    """The generated letters name every addressee; they can be made again from the round."""
    return LetterBatch.objects.filter(created_at__lt=cutoff, content__isnull=False).update(content=None)


RETENTION = [
    RetentionRule("opinions.contact_details", _("意见提出人的称呼和电话"), 365, _clear_contact_details),
    RetentionRule("opinions.letter_files", _("生成的征求意见函文件"), 90, _drop_letter_files),
]
