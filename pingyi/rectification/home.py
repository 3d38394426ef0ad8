"""Home cards: the owner's items from the day they are made (to do, overdue, returned), and for those who verify,
the items waiting for verification and the overdue ones to chase."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pingyi.core.hooks import HomeCard

from .models import RectificationItem
from .selectors import my_items, to_chase, top_managed_org


def cards(user: Any) -> list[HomeCard]:
    found: list[HomeCard] = []
    if not getattr(user, "is_authenticated", False):
        return found
    # One query for the owner's items still to do: split into overdue, returned and waiting, in that order.
    mine = list(my_items(user).order_by("due_on", "pk"))
    overdue = [i for i in mine if i.is_overdue]
    returned = [i for i in mine if i.return_reason and not i.is_overdue]
    waiting = [i for i in mine if not i.return_reason and not i.is_overdue]
    found += [_card(i, _("整改事项已逾期：%(title)s"), _overdue_detail(i), "danger") for i in overdue[:5]]
    found += [_card(i, _("整改事项被退回：%(title)s"), i.return_reason[:80], "warning") for i in returned[:5]]
    found += [_card(i, _("整改事项待完成：%(title)s"), _todo_detail(i), "primary") for i in waiting[:5]]
    chase = to_chase(user)
    org = top_managed_org(user) if chase.overdue or chase.waiting else None
    if org is not None and chase.waiting:
        found.append(
            HomeCard(
                title=ngettext("%(n)s 项整改事项待核实", "%(n)s 项整改事项待核实", chase.waiting)
                % {"n": chase.waiting},
                url=reverse("rectification:org", kwargs={"org_code": org.code}) + "?status=done",
                detail=_("责任人已报告完成：逐项核实销号，或写明原因退回。"),
                tone="warning",
            )
        )
    if org is not None and chase.overdue:
        found.append(
            HomeCard(
                title=ngettext("%(n)s 项整改事项已逾期", "%(n)s 项整改事项已逾期", chase.overdue)
                % {"n": chase.overdue},
                url=reverse("rectification:org", kwargs={"org_code": org.code}) + "?status=overdue",
                detail=_("逐项督促责任人整改，或调整时限。"),
                tone="warning",
            )
        )
    return found


def _card(item: RectificationItem, title: str, detail: str, tone: str) -> HomeCard:
    return HomeCard(
        title=title % {"title": item.title},
        url=reverse("rectification:item", kwargs={"rectification_item_id": item.pk}),
        detail=detail,
        tone=tone,
    )


def _overdue_detail(item: RectificationItem) -> str:
    return _("完成时限 %(date)s，请尽快整改并报告完成情况。") % {"date": _short(item.due_on)}


def _todo_detail(item: RectificationItem) -> str:
    if item.due_on is None:
        return _("完成后在这里报告整改情况。")
    return _("完成时限 %(date)s；完成后在这里报告整改情况。") % {"date": _short(item.due_on)}


def _short(day: Any) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else ""
