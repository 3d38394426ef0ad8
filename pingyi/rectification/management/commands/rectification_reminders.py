"""Print (and log) every overdue rectification item, grouped by node: for cron or a secretary at a terminal."""

from __future__ import annotations

import logging
from itertools import groupby
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.org.models import OrgUnit
from pingyi.rectification.models import RectificationItem

log = logging.getLogger("pingyi.rectification.reminders")


class Command(BaseCommand):
    help = "List overdue rectification items, grouped by node (for cron or a terminal)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", help="code of a node: only items in its subtree")

    def handle(self, *args: Any, **options: Any) -> None:
        items = RectificationItem.objects.overdue().select_related("org", "owner").order_by("org__path", "due_on")
        if options.get("org"):
            root = OrgUnit.objects.filter(code=options["org"]).first()
            if root is None:
                raise CommandError(_("找不到代码为 %(code)s 的组织") % {"code": options["org"]})
            items = items.in_subtree(root)
        today = timezone.localdate()
        found = list(items)
        for org, group in groupby(found, key=lambda item: item.org):
            self.stdout.write(f"{org.name}（{org.code}）")
            for item in group:
                assert item.due_on is not None
                late = (today - item.due_on).days
                owner = item.owner.name if item.owner else _("未指定责任人")
                line = _("逾期%(days)s天 · %(title)s · %(owner)s · 时限%(due)s") % {
                    "days": late,
                    "title": item.title,
                    "owner": owner,
                    "due": f"{item.due_on:%Y-%m-%d}",
                }
                self.stdout.write(f"  {line}")
                log.warning("overdue rectification item %s (%s): %s days late", item.pk, org.code, late)
        self.stdout.write(_("共 %(n)s 项逾期。") % {"n": len(found)})
