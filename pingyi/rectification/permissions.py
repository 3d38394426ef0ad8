"""Who may read and act on rectification items (the rules themselves live in org.permissions)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from pingyi.org.models import OrgUnit
from pingyi.org.permissions import Cap, can, grants_for, require, roles_at

from .models import FourCheck, RectificationItem, RectificationItemQuerySet, Scope


def is_owner(user: Any, item: RectificationItem) -> bool:
    return bool(item.owner_id and item.owner and item.owner.user_id and item.owner.user_id == user.pk)


def may_manage(user: Any, item: RectificationItem) -> bool:
    return can(user, Cap.MANAGE_RECTIFICATION, item.org)


def may_report(user: Any, item: RectificationItem) -> bool:
    return is_owner(user, item) or may_manage(user, item)


def get_item_for_user(user: Any, pk: int, action: str = "read") -> RectificationItem:
    """read: managers, those who view the organisation, and the owner; report: the owner and managers;
    manage: managers. 404 outside the user's subtree, 403 inside it."""
    item = get_object_or_404(RectificationItem.objects.select_related("org", "owner", "campaign", "verified_by"), pk=pk)
    if getattr(user, "is_superuser", False):
        return item
    if not roles_at(user, item.org):
        raise Http404
    allowed = {
        "read": is_owner(user, item) or can(user, Cap.VIEW_ORG, item.org) or may_manage(user, item),
        "report": may_report(user, item),
        "manage": may_manage(user, item),
    }[action]
    if not allowed:
        raise PermissionDenied
    return item


def get_check_for_user(user: Any, pk: int, cap: Cap) -> FourCheck:
    check = get_object_or_404(FourCheck.objects.select_related("org", "campaign"), pk=pk)
    require(user, cap, check.org)
    return check


def in_scope(user: Any, node: OrgUnit) -> bool:
    """Someone with any role on the node, above it or inside its subtree (a member of a branch in the bureau)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(node.path.startswith(path) or path.startswith(node.path) for path, _role in grants_for(user))


def scope_root(item: RectificationItem, scope: str) -> OrgUnit:
    """The branch scope is the item's own node; the bureau scope the node above it."""
    if scope == Scope.BUREAU and item.org.parent is not None:
        return item.org.parent
    return item.org


def published_for(user: Any, org: OrgUnit) -> list[RectificationItem]:
    """Published items under a node that this viewer (perhaps anonymous) may read."""
    found: RectificationItemQuerySet = (
        RectificationItem.objects.published().in_subtree(org).select_related("org__parent").order_by("-verified_at")
    )
    if not getattr(user, "is_authenticated", False):
        return list(found.filter(publish_scope=Scope.PUBLIC))
    return [
        item
        for item in found.filter(Q(publish_scope__in=Scope.values))
        if item.publish_scope == Scope.PUBLIC or in_scope(user, scope_root(item, item.publish_scope))
    ]


def scope_readers(item: RectificationItem, scope: str) -> str:
    """Who will read a published item at a scope, in words, for the preview before publishing."""
    if scope == Scope.PUBLIC:
        return str(_("任何人，无需登录：边议边改清单是公开网页。"))
    root = scope_root(item, scope)
    return _("在“%(org)s”及其下级组织有账号和角色的人（党员、支部委员、上级督导等），登录后可见。") % {"org": root.name}
