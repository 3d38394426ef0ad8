"""The supervision roll-up and a branch's progress page, as their readers use them."""

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import World, add_member, open_campaign
from pingyi.campaigns import services
from pingyi.org import services as org_services
from pingyi.org.models import OrgType
from pingyi.reports.models import BranchTally

pytestmark = pytest.mark.django_db


@pytest.fixture
def get(django_capture_on_commit_callbacks: Any) -> Any:
    """GET as a persona, running what the page queued after its (test) transaction, as a real commit would."""

    def fetch(world: World, persona: str, url: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return world.client(persona).get(url).content.decode()

    return fetch


@pytest.fixture
def district(world: World) -> dict[str, Any]:
    """Under the district: the branch, its campaign 70 days in (stage 1 overdue); the other branch with a fresh
    campaign; a third branch with members and no campaign; a fourth with no members."""
    behind = open_campaign(world, starts_on=timezone.localdate() - timedelta(days=70))
    on_time = open_campaign(world, org=world.orgs["other_branch"], starts_on=timezone.localdate())
    idle = org_services.create_org_unit(
        parent=world.orgs["other_bureau"], type=OrgType.BRANCH, code="IDLE", name="未开展支部", by=None
    )
    add_member(world, "闲党员", org=idle)
    empty = org_services.create_org_unit(
        parent=world.orgs["other_bureau"], type=OrgType.BRANCH, code="EMPTY", name="空支部", by=None
    )
    return {"behind": behind, "on_time": on_time, "idle": idle, "empty": empty}


def test_the_supervisor_sees_every_branch_the_one_behind_first_and_the_idle_flagged(
    world: World, district: dict[str, Any], get: Any
) -> None:
    get(world, "supervisor", reverse("reports:rollup", args=["P-C-D"]))  # the first visit counts them
    page = get(world, "supervisor", reverse("reports:rollup", args=["P-C-D"]))
    attention = page.split('id="attention"', 1)[1].split("</section>", 1)[0]
    assert "局机关党支部" in attention and "民政局机关党支部" not in attention  # on time: not a branch to visit
    flagged = page.split('id="flagged"', 1)[1].split("</section>", 1)[0]
    assert "未开展支部" in flagged and "空支部" in flagged
    assert "全部完成" not in page
    assert BranchTally.objects.count() == 4  # the page brought every branch's counts up to date


def test_the_home_page_of_a_supervisor_summarises_their_subtree(
    world: World, district: dict[str, Any], get: Any
) -> None:
    get(world, "supervisor", reverse("portal:home"))
    page = get(world, "supervisor", reverse("portal:home"))
    card = page.split("supervision-card", 1)[1]
    assert "4 个支部" in card and "局机关党支部" in card and "未开展活动" in card


def test_drilling_down_shows_the_children_and_a_branchs_progress_read_only(
    world: World, district: dict[str, Any]
) -> None:
    client = world.client("supervisor")
    page = client.get(reverse("reports:rollup", args=["P-C-D"])).content.decode()
    assert reverse("reports:rollup", args=["BUREAU"]) in page and reverse("reports:rollup", args=["OTHER"]) in page
    progress = client.get(reverse("reports:progress", args=[district["behind"].pk])).content.decode()
    assert "王党员" in progress and 'data-item="attendance"' in progress
    item = district["behind"].stages.get(order=1).lookback_items.first()
    assert client.post(reverse("campaigns:lookback_check", args=[item.pk])).status_code == 403


def test_the_progress_page_says_what_blocks_the_next_stage(world: World, district: dict[str, Any]) -> None:
    campaign = district["behind"]
    stage = campaign.stages.get(order=1)
    services.check_lookback_item(item=stage.lookback_items.first(), by=world.users["secretary"])
    page = world.client("secretary").get(reverse("reports:progress", args=[campaign.pk])).content.decode()
    blocking = page.split('id="blocking"', 1)[1].split("</section>", 1)[0]
    assert stage.lookback_items.last().text in blocking and stage.lookback_items.first().text not in blocking
    assert "人逾期" in blocking


def test_the_export_lists_every_branch_with_totals(world: World, district: dict[str, Any], get: Any) -> None:
    get(world, "office", reverse("reports:rollup", args=["BUREAU"]))
    response = world.client("office").get(reverse("reports:rollup_export", args=["BUREAU"]))
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert names == ["局机关党支部", "合计"]


def test_the_rollup_costs_the_same_queries_for_more_branches(
    world: World, district: dict[str, Any], django_assert_max_num_queries: Any, get: Any
) -> None:
    client = world.client("supervisor")
    url = reverse("reports:rollup", args=["P-C-D"])
    get(world, "supervisor", url)  # counts brought up to date
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    baseline = len(before.captured_queries)  # read now: the next request resets the query log
    assert baseline <= 40
    for n in range(5):
        org_services.create_org_unit(
            parent=world.orgs["other_bureau"], type=OrgType.BRANCH, code=f"MORE{n}", name=f"新支部{n}", by=None
        )
    get(world, "supervisor", url)
    with django_assert_max_num_queries(baseline):
        client.get(url)
