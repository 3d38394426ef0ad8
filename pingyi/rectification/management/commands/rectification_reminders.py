"""Print (and log) every overdue rectification item, grouped by node: for cron or a secretary at a terminal."""

from __future__ import annotations

import logging
from itertools import groupby
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pingyi.org.models import OrgUnit
from pingyi.rectification.models import RectificationItem

log = logging.getLogger("pingyi.rectification.reminders")


class Command(BaseCommand):
    help = "列出已逾期的整改事项（按组织分组）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", help="只看这个组织（代码）及其下级")

    def handle(self, *args: Any, **options: Any) -> None:
        items = RectificationItem.objects.overdue().select_related("org", "owner").order_by("org__path", "due_on")
        if options.get("org"):
            root = OrgUnit.objects.filter(code=options["org"]).first()
            if root is None:
                raise CommandError(f"没有代码为 {options['org']} 的组织")
            items = items.in_subtree(root)
        today = timezone.localdate()
        found = list(items)
        for org, group in groupby(found, key=lambda item: item.org):
            self.stdout.write(f"{org.name}（{org.code}）")
            for item in group:
                assert item.due_on is not None
                late = (today - item.due_on).days
                owner = item.owner.name if item.owner else "未指定责任人"
                line = f"  逾期{late}天 · {item.title} · {owner} · 时限{item.due_on:%Y-%m-%d}"
                self.stdout.write(line)
                log.warning("overdue rectification item %s (%s): %s days late", item.pk, org.code, late)
        self.stdout.write(f"共 {len(found)} 项逾期。")
