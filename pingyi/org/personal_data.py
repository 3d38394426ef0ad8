"""A person's own record, posts, roles and login (docs/privacy.md)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from pingyi.core.personal import rows

from .models import Person, Post, RoleGrant

# Stored data, not UI text: the same in every language, so an anonymised record is recognisable.
ANONYMISED_NAME = "已匿名人员{id}"

PERSON_FIELDS = (
    "id", "kind", "name", "gender", "birth_date", "id_number", "phone", "org__name", "group__name", "category",
    "status", "joined_on", "confirmed_on", "contact_type", "affiliation",
)  # fmt: skip


def export(person: Person) -> dict[str, list[dict[str, Any]]]:
    found = {
        "person": rows(Person.objects.filter(pk=person.pk), *PERSON_FIELDS),
        "posts": rows(Post.objects.filter(person=person), "org__name", "title", "is_leadership", "is_committee"),
    }
    if person.user_id:
        account = get_user_model().objects.filter(pk=person.user_id)
        found["account"] = rows(account, "username", "first_name", "last_name", "email", "date_joined", "last_login")
        found["roles"] = rows(RoleGrant.objects.filter(user_id=person.user_id), "org__name", "role")
    return found


def blockers(person: Person) -> list[str]:
    if person.user_id and get_user_model().objects.filter(pk=person.user_id, is_superuser=True).exists():
        return [_("此人的账号是系统管理员账号：请先另设管理员并取消其管理员身份。")]
    return []


def anonymise(person: Person) -> dict[str, int]:
    """The record stays (counts by branch, category and status hold), with nothing that says who it was.

    The login is kept but emptied and disabled: audit entries name their actor by it, and the chain
    must keep verifying (ADR 0007). Posts go: a title on a node (局长) would say who it was.
    """
    changed = {"posts": Post.objects.filter(person=person).delete()[0], "roles": 0, "accounts": 0}
    if person.user_id:
        changed["roles"] = RoleGrant.objects.filter(user_id=person.user_id).delete()[0]
        account = get_user_model().objects.get(pk=person.user_id)
        account.username = f"erased-{account.pk}"
        account.first_name = account.last_name = account.email = ""
        account.is_active = account.is_staff = False
        account.set_unusable_password()
        account.save()
        changed["accounts"] = 1
    Person.objects.filter(pk=person.pk).update(
        name=ANONYMISED_NAME.format(id=person.pk),
        gender="",
        birth_date=None,
        id_number=None,
        phone="",
        joined_on=None,
        confirmed_on=None,
        affiliation="",
        user=None,
    )
    changed["people"] = 1
    return changed


def is_anonymised(person: Person) -> bool:
    return person.name == ANONYMISED_NAME.format(id=person.pk) and not person.id_number
