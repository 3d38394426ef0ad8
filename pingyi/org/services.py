"""The only place that writes organisation and people records."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core import audit

from .models import OneTimePassword, OrgType, OrgUnit, OrgUnitChange, Person, Post, Role, RoleGrant, person_of, under

# In the order the person form shows them.
PERSON_FIELDS = (
    "kind",
    "name",
    "id_number",
    "gender",
    "birth_date",
    "phone",
    "group",
    "category",
    "status",
    "joined_on",
    "confirmed_on",
    "contact_type",
    "affiliation",
)


@transaction.atomic
def create_org_unit(
    *, parent: OrgUnit | None, type: str, code: str, name: str, by: Any, is_demo: bool = False
) -> OrgUnit:
    org = OrgUnit.objects.create(parent=parent, type=OrgType(type), code=code, name=name, path="", is_demo=is_demo)
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.depth = parent.depth + 1 if parent else 0
    org.save(update_fields=["path", "depth"])
    OrgUnitChange.objects.create(
        org=org, kind=OrgUnitChange.Kind.CREATED, by=audit.user_of(by), new_name=name, new_parent=parent
    )
    audit.record(actor=by, action="org.create", org=org, target=org, data={"code": code, "name": name, "type": type})
    return org


@transaction.atomic
def rename_org_unit(*, org: OrgUnit, name: str, by: Any) -> OrgUnit:
    old = org.name
    if old == name:
        return org
    org.name = name
    org.save(update_fields=["name"])
    OrgUnitChange.objects.create(
        org=org, kind=OrgUnitChange.Kind.RENAMED, by=audit.user_of(by), old_name=old, new_name=name
    )
    audit.record(actor=by, action="org.rename", org=org, target=org, data={"old": old, "new": name})
    return org


@transaction.atomic
def move_org_unit(*, org: OrgUnit, new_parent: OrgUnit, by: Any) -> OrgUnit:
    """Re-hang a subtree: one UPDATE rewrites the path prefix of every node below."""
    org.refresh_from_db()
    new_parent.refresh_from_db()
    if new_parent.path.startswith(org.path):
        raise ValidationError(_("不能把组织移到它自己或它的下级之下"))
    old_parent = org.parent
    old_prefix = org.path
    new_prefix = f"{new_parent.path}{org.pk}/"
    delta = new_parent.depth + 1 - org.depth
    OrgUnit.objects.filter(under(old_prefix, via="")).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + delta,
    )
    OrgUnit.objects.filter(pk=org.pk).update(parent=new_parent)
    org.refresh_from_db()
    OrgUnitChange.objects.create(
        org=org, kind=OrgUnitChange.Kind.MOVED, by=audit.user_of(by), old_parent=old_parent, new_parent=new_parent
    )
    audit.record(
        actor=by,
        action="org.move",
        org=org,
        target=org,
        data={"from": old_parent and old_parent.code, "to": new_parent.code},
    )
    return org


@transaction.atomic
def save_person(*, org: OrgUnit, by: Any, person: Person | None = None, is_demo: bool = False, **fields: Any) -> Person:
    """Create or update a person; returns the person. Records only real changes."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    creating = person is None
    if person is None:
        person = Person(org=org, is_demo=is_demo)
    changes = {}
    if not creating and person.org_id != org.pk:
        changes["org"] = [person.org.code, org.code]
        person.org = org
    for name, value in fields.items():
        if getattr(person, name) != value:
            changes[name] = [_plain(getattr(person, name)), _plain(value)]
            setattr(person, name, value)
    if not creating and not changes:
        return person
    person.full_clean(exclude=["user"])
    person.save()
    audit.record(
        actor=by,
        action="person.create" if creating else "person.update",
        org=org,
        target=person,
        data={"fields": sorted(changes) if not creating else sorted(fields)},
    )
    return person


@dataclass(frozen=True)
class NewPerson:
    org: OrgUnit
    fields: dict[str, Any]
    posts: list[dict[str, Any]] = field(default_factory=list)  # {org, title, is_leadership, is_committee}


CREATE_BATCH = 500


@transaction.atomic
def create_people(
    *, people: list[NewPerson], on: OrgUnit, by: Any, progress: Callable[[int], None] | None = None
) -> list[Person]:
    """Insert many new people at once, as a roster import does; one audit entry covers them all.

    Each person's fields are checked as save_person checks them, but the database's
    own unique and check constraints stand in for full_clean's per-row queries, so a
    10,000-row roster takes seconds rather than minutes (bench/roster_import.py).
    """
    created: list[Person] = []
    for start in range(0, len(people), CREATE_BATCH):
        chunk = people[start : start + CREATE_BATCH]
        batch = []
        for new in chunk:
            unknown = set(new.fields) - set(PERSON_FIELDS)
            if unknown:
                raise TypeError(f"unknown person fields: {sorted(unknown)}")
            person = Person(org=new.org, **new.fields)
            # org and group are nodes already loaded from the database: skip their lookups.
            person.full_clean(exclude=["user", "org", "group"], validate_unique=False, validate_constraints=False)
            batch.append(person)
        saved = Person.objects.bulk_create(batch)
        Post.objects.bulk_create(
            Post(person=person, **spec) for person, new in zip(saved, chunk, strict=True) for spec in new.posts
        )
        created += saved
        if progress:
            progress(len(created))
    if created:
        audit.record(actor=by, action="person.create_many", org=on, target=on, data={"ids": [p.pk for p in created]})
    return created


@transaction.atomic
def set_posts(*, person: Person, posts: list[dict[str, Any]], by: Any) -> None:
    """Replace a person's posts with the given list of {org, title, is_leadership, is_committee}."""
    wanted = {(p["org"].pk, p["title"]): p for p in posts}
    current = {(p.org_id, p.title): p for p in person.posts.all()}
    for key, post in current.items():
        if key not in wanted:
            post.delete()
    for spec in wanted.values():
        Post.objects.update_or_create(
            person=person,
            org=spec["org"],
            title=spec["title"],
            defaults={
                "is_leadership": spec.get("is_leadership", False),
                "is_committee": spec.get("is_committee", False),
            },
        )
    if set(wanted) != set(current):
        audit.record(
            actor=by, action="person.posts", org=person.org, target=person, data={"posts": [t for _, t in wanted]}
        )


@transaction.atomic
def grant_role(*, user: Any, org: OrgUnit, role: Role, by: Any) -> RoleGrant:
    grant, created = RoleGrant.objects.get_or_create(user=user, org=org, role=role)
    if created:
        audit.record(
            actor=by, action="role.grant", org=org, target=grant, data={"user": user.get_username(), "role": role}
        )
    return grant


@transaction.atomic
def revoke_role(*, grant: RoleGrant, by: Any) -> None:
    if not may_revoke(grant=grant, by=by):
        raise ValidationError(
            _("不能撤销自己在%(org)s唯一的支部书记角色，否则将无法再管理它；请由上级组织或系统管理员撤销")
            % {"org": grant.org.name},
            code="last_secretary",
        )
    audit.record(
        actor=by,
        action="role.revoke",
        org=grant.org,
        target=grant,
        data={"user": grant.user.get_username(), "role": grant.role},
    )
    grant.delete()


@transaction.atomic
def create_account(*, person: Person, username: str, password: str, by: Any) -> Any:
    """Give a person a login; the member role follows from their record."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.user_id:
        raise ValidationError(_("%(name)s 已有登录账号") % {"name": person.name}, code="has_account")
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名“%(username)s”已被使用，请换一个") % {"username": username}})
    user = User.objects.create_user(username=username, password=password, first_name=person.name)
    locked.user = person.user = user
    locked.save(update_fields=["user"])
    audit.record(actor=by, action="person.account", org=person.org, target=person, data={"username": username})
    return user


# Easy to read aloud and to copy from paper: no 0/O/o, 1/l/I.
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 12


def generate_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


@dataclass(frozen=True)
class Credentials:
    """A login and its initial password, to be shown once and never stored in clear."""

    username: str
    password: str = field(repr=False)
    expires_at: Any = None  # when the one-time password stops working if it is not used


def _issue_one_time(user: Any) -> Any:
    """Mark the user's password as generated: to be replaced at first sign-in, void after ONE_TIME_PASSWORD_DAYS."""
    now = timezone.now()
    expires = now + timedelta(days=settings.ONE_TIME_PASSWORD_DAYS)
    OneTimePassword.objects.update_or_create(user=user, defaults={"issued_at": now, "expires_at": expires})
    return expires


@transaction.atomic
def open_account(*, person: Person, username: str, by: Any) -> Credentials:
    """Give a person a login with a generated one-time password."""
    password = generate_password()
    user = create_account(person=person, username=username, password=password, by=by)
    return Credentials(user.get_username(), password, _issue_one_time(user))


@transaction.atomic
def reset_password(*, person: Person, by: Any) -> Credentials:
    """A new generated password; a disabled login is enabled again. Old sessions end with the old password."""
    user = _account_of(person)
    password = generate_password()
    reactivated = not user.is_active
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    expires = _issue_one_time(user)
    audit.record(
        actor=by,
        action="person.password_reset",
        org=person.org,
        target=person,
        data={"username": user.get_username(), "reactivated": reactivated},
    )
    return Credentials(user.get_username(), password, expires)


@transaction.atomic
def change_own_password(*, user: Any, password: str) -> None:
    """The user replaces their password (the change page has checked the old one and the rules)."""
    if user.check_password(password):
        raise ValidationError(_("新密码不能与现在的密码相同"), code="same")
    had_one_time = OneTimePassword.objects.filter(user=user).delete()[0] > 0
    user.set_password(password)
    user.save(update_fields=["password"])
    person = person_of(user, member_only=False)
    audit.record(
        actor=user,
        action="auth.password_changed",
        org=person.org if person else None,
        target=person or user,
        data={"one_time_replaced": had_one_time},
    )


@transaction.atomic
def disable_account(*, person: Person, by: Any) -> None:
    """The person can no longer log in; their record and history stay. Disabling twice changes nothing."""
    user = _account_of(person)
    if getattr(by, "pk", None) == user.pk:
        raise ValidationError(_("不能停用自己的登录账号"), code="self")
    if not user.is_active:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.record(
        actor=by, action="person.account_disable", org=person.org, target=person, data={"username": user.username}
    )


def _account_of(person: Person) -> Any:
    person = Person.objects.select_related("user").get(pk=person.pk)
    if person.user is None:
        raise ValidationError(_("%(name)s 还没有登录账号") % {"name": person.name}, code="no_account")
    return get_user_model().objects.select_for_update().get(pk=person.user.pk)


def add_child_org(*, parent: OrgUnit | None, type: str, code: str, name: str, by: Any) -> tuple[OrgUnit, bool]:
    """Add a node under `parent` (None: a new top of the tree); returns it and whether it is new.

    Submitting the same node twice returns the first one, so a double submit adds one node.
    """
    existing = OrgUnit.objects.filter(code=code).first()
    if existing is None:
        try:
            with transaction.atomic():
                return create_org_unit(parent=parent, type=type, code=code, name=name, by=by), True
        except IntegrityError:
            existing = OrgUnit.objects.filter(code=code).first()
            if existing is None:
                raise
    if (existing.parent_id, existing.type, existing.name) == (parent.pk if parent else None, type, name):
        return existing, False
    raise ValidationError({"code": _("组织代码“%(code)s”已被使用，请换一个") % {"code": code}})


def may_revoke(*, grant: RoleGrant, by: Any) -> bool:
    """Whether the revoke leaves `by` in charge: a secretary keeps a secretary grant covering the node (no lock-out)."""
    if grant.role != Role.SECRETARY or grant.user_id != getattr(by, "pk", None) or getattr(by, "is_superuser", False):
        return True
    others = RoleGrant.objects.filter(user=grant.user, role=Role.SECRETARY).exclude(pk=grant.pk)
    return any(grant.org.path.startswith(path) for path in others.values_list("org__path", flat=True))


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def may_use_second_factor(user: Any) -> bool:
    """Two-factor sign-in is offered to the administrator and to logins holding a role on a node:
    they see other people's data and change the record. Members are not asked to carry an app."""
    return bool(getattr(user, "is_superuser", False) or RoleGrant.objects.filter(user=user).exists())


@transaction.atomic
def enable_second_factor(*, user: Any, key: str, token: str) -> Any:
    """Turn on two-factor sign-in with the authenticator the user just set up; the code proves it works."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not may_use_second_factor(user):
        raise ValidationError(_("只有担任角色的账号和系统管理员可以开启两步验证"), code="not_offered")
    device = TOTPDevice(user=user, name=_("验证器"), key=key, confirmed=False)
    if not device.verify_token(token.strip()):
        raise ValidationError(_("动态码不对：请确认手机时间准确，输入验证器中当前显示的六位数字"), code="token")
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    person = person_of(user, member_only=False)
    audit.record(
        actor=user, action="auth.otp_enabled", org=person.org if person else None, target=person or user, data={}
    )
    return device


def verify_second_factor(*, user: Any, token: str) -> Any:
    """The user's confirmed device if the code matches it, else None (each miss slows the next try)."""
    from django_otp import match_token

    return match_token(user, token.strip())


@transaction.atomic
def disable_second_factor(*, user: Any, by: Any) -> bool:
    """Turn two-factor sign-in off; True if it was on."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    removed = TOTPDevice.objects.filter(user=user).delete()[0] > 0
    if removed:
        person = person_of(user, member_only=False)
        audit.record(
            actor=by,
            action="auth.otp_disabled",
            org=person.org if person else None,
            target=person or user,
            data={"username": user.get_username()},
        )
    return removed
