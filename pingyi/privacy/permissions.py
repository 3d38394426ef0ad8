"""Who may export and anonymise whose data. A person may always export their own."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pingyi.org.models import Person, person_of
from pingyi.org.permissions import Cap, can, can_manage_account, get_person_for_user


def get_own_person(user: Any) -> Person:
    person = person_of(user, member_only=False)
    if person is None:
        raise Http404
    return person


def get_person_for_privacy(user: Any, pk: int) -> Person:
    """Staff who manage the person's node and may see private data (the export holds the full ID number)."""
    person = get_person_for_user(user, pk, Cap.MANAGE_PEOPLE)
    if not can(user, Cap.SEE_PRIVATE, person.org):
        raise PermissionDenied
    return person


def get_person_to_anonymise(user: Any, pk: int) -> Person:
    """As above, never oneself, and a login with roles only by someone who could reset it (no escalation)."""
    person = get_person_for_privacy(user, pk)
    if person.user_id and (person.user_id == getattr(user, "pk", None) or not can_manage_account(user, person)):
        raise PermissionDenied
    return person
