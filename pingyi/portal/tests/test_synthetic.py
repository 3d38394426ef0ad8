"""The synthetic province (manage.py seed_synthetic) is a faithful stand-in: its kept counts are what the real
refresher counts from its rows, the roll-up built on them equals the naive count, and it leaves no trace."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.utils import timezone

from pingyi.campaigns.models import Campaign
from pingyi.org import services as org_services
from pingyi.org.models import OrgUnit, Person
from pingyi.portal.synthetic import seed as synthetic
from pingyi.portal.synthetic.naive import differences, kept_figures, naive_figures
from pingyi.reports import selectors, tallies
from pingyi.reports.models import BranchTally, ItemTally
from pingyi.writings.models import Writing

pytestmark = pytest.mark.django_db

COUNTED = [f.name for f in BranchTally._meta.fields if f.name not in ("id", "computed_at", "dirty_since")]


@pytest.fixture
def province() -> OrgUnit:
    # 5 branches over 3 districts in 2 cities: one without members, one without a campaign, one behind its plan
    shape = synthetic.Shape(members=150, branches_per_district=2)
    return synthetic.seed(shape, say=lambda line: None).province


def test_the_tree_has_the_cases_a_supervisor_must_see(province: OrgUnit) -> None:
    rows = BranchTally.objects.filter(org__code__startswith=synthetic.PREFIX)
    assert rows.count() == 5 and sum(rows.values_list("members", flat=True)) == 150
    assert rows.filter(members=0).exists() and rows.filter(campaign=None).exists() and rows.filter(overdue__gt=0)
    assert OrgUnit.objects.filter(parent=province).count() == 2
    assert not OrgUnit.objects.filter(code__startswith=synthetic.PREFIX, is_demo=False).exists()
    assert not Person.objects.filter(org__code__startswith=synthetic.PREFIX, is_demo=False).exists()


def test_the_kept_counts_are_what_the_real_refresher_counts(province: OrgUnit) -> None:
    seeded = {t.org_id: {f: getattr(t, f) for f in COUNTED} for t in BranchTally.objects.all()}
    items = {t.work_item_id: (t.tracked, t.subjects, t.done, t.started, t.excused) for t in ItemTally.objects.all()}
    for branch in tallies.branches_under(province):
        recounted = tallies.refresh_branch(branch)
        assert {f: getattr(recounted, f) for f in COUNTED} == seeded[branch.pk], branch.code
    after = {t.work_item_id: (t.tracked, t.subjects, t.done, t.started, t.excused) for t in ItemTally.objects.all()}
    assert after == items and len(items) >= 8


def test_the_rollup_equals_the_naive_count_at_every_level(province: OrgUnit) -> None:
    today = timezone.localdate()
    city = OrgUnit.objects.filter(parent=province).order_by("code").first()
    district = OrgUnit.objects.filter(parent=city).order_by("code").first()
    for root in (province, city, district):
        assert root is not None
        kept, naive = kept_figures(selectors.rollup(root, today)), naive_figures(root, today)
        assert differences(kept, naive) == [], root.code
        assert naive.total["branches"] > 0 and kept.children
    assert naive_figures(province, today).total["overdue"] > 0


def test_the_naive_count_notices_a_change_the_kept_counts_missed(province: OrgUnit) -> None:
    """Its own checker can fail: accept one more piece behind the kept counts' back."""
    today = timezone.localdate()
    waiting = Writing.objects.filter(campaign__org__path__startswith=province.path, status="submitted")
    piece = waiting.filter(work_item__stage__status="open", work_item__required=True).first()
    assert piece is not None
    Writing.objects.filter(pk=piece.pk).update(status="accepted", accepted_at=timezone.now())
    assert differences(kept_figures(selectors.rollup(province, today)), naive_figures(province, today))


def test_clear_removes_every_synthetic_row(province: OrgUnit) -> None:
    out = StringIO()
    call_command("seed_synthetic", "--clear", stdout=out)
    assert not OrgUnit.objects.filter(code__startswith=synthetic.PREFIX).exists()
    assert not Person.objects.filter(is_demo=True, name__startswith="合成").exists()
    assert not Campaign.objects.filter(title__startswith="合成").exists()
    assert not BranchTally.objects.exists() and not Writing.objects.exists()


def test_the_command_replaces_an_earlier_province_and_says_what_it_did(province: OrgUnit) -> None:
    out = StringIO()
    call_command("seed_synthetic", "--members", "60", "--branches-per-district", "1", stdout=out)
    assert "2 个支部，60 名党员" in out.getvalue()
    assert OrgUnit.objects.filter(code=f"{synthetic.PREFIX}P").count() == 1
    assert Person.objects.filter(org__code__startswith=synthetic.PREFIX).count() == 60


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the limit is SQLite's")
def test_sqlite_refuses_a_province() -> None:
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_synthetic", "--members", str(synthetic.SQLITE_LIMIT + 1), stdout=StringIO())


def test_a_new_day_moves_the_kept_counts_to_what_the_naive_count_says(province: OrgUnit, monkeypatch: Any) -> None:
    """Counted yesterday, moved today chunk by chunk from the kept item counts: still the naive figures."""
    monkeypatch.setattr(tallies, "RECOUNT_CHUNK", 2)
    branches = list(BranchTally.objects.values_list("org_id", flat=True))
    tallies.add_branches(branches, sign=-1)  # counted yesterday, nothing overdue yet, and the nodes' sums agreeing
    BranchTally.objects.update(counted_on=F("counted_on") - timedelta(days=1), overdue=0, overdue_items=0)
    tallies.add_branches(branches)
    assert tallies.recount_dates() == 5
    today = timezone.localdate()
    assert differences(kept_figures(selectors.rollup(province, today)), naive_figures(province, today)) == []
    assert tallies.node_drift(province) == []


def test_the_seeded_node_sums_equal_the_branch_rows_and_follow_a_moved_district(province: OrgUnit) -> None:
    """The seed writes each node's sums with its branches; a district moved to the other city takes them along,
    and the roll-up still equals the naive count at the province and at both cities."""
    assert tallies.node_drift(province) == []
    first, second = OrgUnit.objects.filter(parent=province).order_by("code")
    district = OrgUnit.objects.filter(parent=first).order_by("code").first()
    assert district is not None
    org_services.move_org_unit(org=district, new_parent=second, by=None)
    assert tallies.node_drift(province) == []
    today = timezone.localdate()
    for root in OrgUnit.objects.filter(pk__in=[province.pk, first.pk, second.pk]):
        assert differences(kept_figures(selectors.rollup(root, today)), naive_figures(root, today)) == [], root.code
