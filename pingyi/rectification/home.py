"""Home cards: the owner's overdue and returned items, and the overdue items a secretary has to chase."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pingyi.core.hooks import HomeCard

from .selectors import my_overdue, overdue_to_manage, returned_to_me, top_managed_org


def cards(user: Any) -> list[HomeCard]:
    found: list[HomeCard] = []
    mine = list(my_overdue(user).order_by("due_on")[:5])
    for item in mine:
        found.append(
            HomeCard(
                title=_("整改事项已逾期：%(title)s") % {"title": item.title},
                url=reverse("rectification:item", kwargs={"rectification_item_id": item.pk}),
                detail=_("完成时限 %(date)s，请尽快整改并报告完成情况。")
                % {"date": date_format(item.due_on, "SHORT_DATE_FORMAT") if item.due_on else ""},
                tone="danger",
            )
        )
    for item in returned_to_me(user).order_by("due_on")[:5]:
        found.append(
            HomeCard(
                title=_("整改事项被退回：%(title)s") % {"title": item.title},
                url=reverse("rectification:item", kwargs={"rectification_item_id": item.pk}),
                detail=item.return_reason[:80],
                tone="warning",
            )
        )
    overdue = overdue_to_manage(user).count()
    if overdue:
        org = top_managed_org(user)
        if org is not None:
            found.append(
                HomeCard(
                    title=ngettext("%(n)s 项整改事项已逾期", "%(n)s 项整改事项已逾期", overdue) % {"n": overdue},
                    url=reverse("rectification:org", kwargs={"org_code": org.code}) + "?status=overdue",
                    detail=_("逐项督促责任人整改，或调整时限。"),
                    tone="warning",
                )
            )
    return found
