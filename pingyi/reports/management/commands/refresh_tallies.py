"""Bring the supervision roll-up's kept counts to today: move every row's date-dependent counts, then
recount the branches whose records changed. Beat runs it after midnight so the first supervisor of the
day does not wait for the move (about a minute at a province of 33,000 branches, docs/scale.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pingyi.org.models import OrgUnit
from pingyi.reports.tallies import recount_dates, refresh_stale


class Command(BaseCommand):
    help = "把督导汇总的计数推进到今天：按日期变化的计数，以及记录有变化的支部"

    def handle(self, *args: Any, **options: Any) -> None:
        moved = recount_dates()
        counted = sum(refresh_stale(root) for root in OrgUnit.objects.filter(parent=None))
        self.stdout.write(f"moved to today: {moved}; recounted: {counted}")
