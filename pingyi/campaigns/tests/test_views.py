import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import CAMPAIGN_START, World, add_member
from pingyi.campaigns import services
from pingyi.campaigns.models import Campaign, CampaignTemplate, Stage, StageReview

pytestmark = pytest.mark.django_db


def detail_url(campaign: Campaign) -> str:
    return reverse("campaigns:detail", kwargs={"campaign_id": campaign.pk})


def tick_all(stage: Stage, world: World) -> None:
    for item in stage.lookback_items.all():
        services.check_lookback_item(item=item, by=world.users["secretary"])


def row(page: str, code: str) -> str:
    """The markup of one work item's row or task card on a page."""
    return page.split(f'data-item="{code}"', 1)[1].split("data-item=", 1)[0]


def test_create_from_template_offers_only_manageable_nodes(world: World) -> None:
    client = world.client("secretary")
    page = client.get(reverse("campaigns:create")).content.decode()
    assert "局机关党支部" in page and "第一党小组" in page
    assert "民政局机关党支部" not in page and "区劳动和社会保障局党组" not in page
    template = CampaignTemplate.objects.get(code="democratic-evaluation")
    refused = client.post(
        reverse("campaigns:create"),
        {"org": world.orgs["other_branch"].pk, "template": template.pk, "starts_on": "2005-01-10"},
    )
    assert refused.status_code == 200 and not Campaign.objects.exists()
    response = client.post(
        reverse("campaigns:create"),
        {"org": world.orgs["branch"].pk, "template": template.pk, "title": "", "starts_on": "2005-01-10"},
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(campaign)
    assert campaign.title == "民主评议党员" and campaign.created_by == world.users["secretary"]


def test_detail_names_who_is_missing_only_for_roles_that_view_the_org(
    world: World, campaign: Campaign, rule_done_by: dict[str, set[int]], untracked: Any
) -> None:
    untracked("writings.reflection_accepted")
    add_member(world, "陈党员")
    rule_done_by["exams.sat"] = {world.people["member"].pk}
    secretary_page = world.client("secretary").get(detail_url(campaign)).content.decode()
    assert "陈党员" in secretary_page and "1/2" in secretary_page
    assert "线下完成，系统不记录" in secretary_page  # the reflection item, its provider hidden
    member_page = world.client("member").get(detail_url(campaign)).content.decode()
    assert "陈党员" not in member_page
    assert "已完成" in row(member_page, "hundred-question-test")
    assert "已逾期" in row(member_page, "attendance")  # no sessions recorded, and the 2005 stage is long past
    assert "签字确认" not in member_page and "lookback-toggle" not in member_page


def test_htmx_tick_returns_the_checklist_partial(world: World, campaign: Campaign) -> None:
    item = campaign.stages.get(order=1).lookback_items.first()
    url = reverse("campaigns:lookback_check", kwargs={"lookback_id": item.pk})
    response = world.client("secretary").post(url, {"note": "已补课"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and f'id="lookback-{item.stage_id}"' in body and "<html" not in body
    item.refresh_from_db()
    assert item.checked and item.note == "已补课"
    url = reverse("campaigns:lookback_uncheck", kwargs={"lookback_id": item.pk})
    world.client("office").post(url, HTTP_HX_REQUEST="true")
    item.refresh_from_db()
    assert not item.checked


def test_ticking_a_closed_stage_is_refused_with_a_message(world: World, campaign: Campaign) -> None:
    first = campaign.stages.get(order=1)
    tick_all(first, world)
    services.sign_off_stage(stage=first, by=world.users["secretary"])
    item = first.lookback_items.first()
    url = reverse("campaigns:lookback_uncheck", kwargs={"lookback_id": item.pk})
    response = world.client("secretary").post(url, follow=True)
    assert "不在进行中" in response.content.decode()
    item.refresh_from_db()
    assert item.checked


def test_sign_off_view_refuses_then_opens_the_next_stage_and_ignores_a_repeat(world: World, campaign: Campaign) -> None:
    first = campaign.stages.get(order=1)
    url = reverse("campaigns:sign_off", kwargs={"stage_id": first.pk})
    client = world.client("secretary")
    assert "回头看还有 6 项未勾选" in client.post(url, follow=True).content.decode()
    tick_all(first, world)
    assert "“分析评议”开始" in client.post(url, follow=True).content.decode()
    assert "已经签字确认过了" in client.post(url, follow=True).content.decode()
    assert campaign.current_stage and campaign.current_stage.name == "分析评议"


def test_review_only_by_the_supervision_group(world: World, campaign: Campaign) -> None:
    stage = campaign.stages.get(order=1)
    url = reverse("campaigns:review", kwargs={"stage_id": stage.pk})
    data = {f"review-{stage.pk}-rating": "fair", f"review-{stage.pk}-comment": "心得体会有抄摘现象"}
    for persona, status in [
        ("secretary", 403),
        ("committee", 403),
        ("office", 403),
        ("member", 403),
        ("outsider", 404),
    ]:
        assert world.client(persona).post(url, data).status_code == status
    assert not StageReview.objects.exists()
    response = world.client("supervisor").post(url, data, follow=True)
    assert "评价已保存" in response.content.decode() and "心得体会有抄摘现象" in response.content.decode()
    assert StageReview.objects.get().by == world.users["supervisor"]
    invalid = world.client("supervisor").post(url, {f"review-{stage.pk}-rating": "great"})
    assert invalid.status_code == 200 and "is-invalid" in invalid.content.decode()


@pytest.mark.parametrize(
    ("name", "kwarg"),
    [
        ("lookback_check", "lookback_id"),
        ("lookback_uncheck", "lookback_id"),
        ("sign_off", "stage_id"),
        ("review", "stage_id"),
    ],
)
def test_writes_refuse_get(world: World, campaign: Campaign, name: str, kwarg: str) -> None:
    stage = campaign.stages.get(order=1)
    pk = stage.lookback_items.first().pk if kwarg == "lookback_id" else stage.pk
    assert world.client("secretary").get(reverse(f"campaigns:{name}", kwargs={kwarg: pk})).status_code == 405


def test_list_shows_campaigns_in_the_visible_subtree_only(world: World, campaign: Campaign) -> None:
    assert campaign.title in world.client("supervisor").get(reverse("campaigns:list")).content.decode()
    assert campaign.title not in world.client("outsider").get(reverse("campaigns:list")).content.decode()


# Home pages


def test_member_home_shows_only_the_open_stage_items_that_concern_them(
    world: World, campaign: Campaign, rule_done_by: dict[str, set[int]], untracked: Any
) -> None:
    untracked("writings.reflection_accepted")
    rule_done_by["exams.sat"] = {world.people["member"].pk}
    page = world.client("member").get(reverse("portal:home")).content.decode()
    assert "我的任务" in page and "学习动员" in page
    for shown in ["参加集中学习", "参加百题测试", "撰写学习心得", "参加专题讨论"]:
        assert shown in page
    assert "讲党课、作辅导" not in page  # leaders only
    assert "征求意见" not in page  # stage 2 is not open
    assert "已完成" in row(page, "hundred-question-test") and "已逾期" in row(page, "attendance")
    assert "线下完成" in row(page, "reflection")
    assert "活动进展" not in page and "尚未完成" not in page


def test_leader_member_also_gets_leader_items(world: World, campaign: Campaign) -> None:
    add_member(
        world, "李局长", login="leader", posts=[{"org": world.orgs["bureau"], "title": "局长", "is_leadership": True}]
    )
    client = world.client("leader")
    assert "讲党课、作辅导" in client.get(reverse("portal:home")).content.decode()


def test_secretary_home_shows_progress_missing_names_and_lookback(
    world: World, campaign: Campaign, rule_done_by: dict[str, set[int]]
) -> None:
    add_member(world, "陈党员")
    rule_done_by["study.attendance"] = {world.people["member"].pk}
    services.check_lookback_item(item=campaign.stages.get(order=1).lookback_items.first(), by=world.users["secretary"])
    page = world.client("secretary").get(reverse("portal:home")).content.decode()
    assert "活动进展" in page and "当前阶段：学习动员" in page
    assert "1/2" in page and "陈党员" in page
    assert "回头看 1/6" in page
    assert "echarts.min.js" in page


def test_user_without_roles_gets_a_friendly_empty_state(world: World) -> None:
    nobody = get_user_model().objects.create_user("nobody", password="x")
    client = world.client("anonymous")
    client.force_login(nobody)
    page = client.get(reverse("portal:home")).content.decode()
    assert "还没有分配角色" in page and "echarts" not in page


def test_outsider_home_offers_to_open_a_campaign(world: World, campaign: Campaign) -> None:
    page = world.client("outsider").get(reverse("portal:home")).content.decode()
    assert campaign.title not in page and "按模板开展活动" in page


# Query counts: the pages read everything in a fixed number of queries, however many campaigns and people.


def _some_done(world: World, rule_done_by: dict[str, set[int]]) -> None:
    for name in ["study.attendance", "exams.sat", "study.lecture_given"]:
        rule_done_by[name] = {world.people["member"].pk}


def _more(world: World, rule_done_by: dict[str, set[int]]) -> None:
    for n in range(5):
        add_member(world, f"党员{n}", posts=[{"org": world.orgs["branch"], "title": f"委员{n}", "is_committee": True}])
    add_member(world, "小组党员", org="group")
    services.create_campaign(
        org=world.orgs["group"],
        template=CampaignTemplate.objects.get(code="democratic-evaluation"),
        title="",
        starts_on=CAMPAIGN_START,
        by=world.users["secretary"],
    )


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_home_page_queries_do_not_grow(world: World, campaign: Campaign, rule_done_by: dict[str, set[int]]) -> None:
    """A fixed number of queries per campaign shown (its tracked items' providers, the apps' home cards),
    whatever the number of people in the branch."""
    _some_done(world, rule_done_by)
    client = world.client("secretary")
    _more(world, rule_done_by)
    before = _queries(client, reverse("portal:home"))
    for n in range(10):
        add_member(world, f"新党员{n}", org="group" if n % 2 else "branch")
    assert _queries(client, reverse("portal:home")) == before


def test_detail_page_queries_do_not_grow(world: World, campaign: Campaign, rule_done_by: dict[str, set[int]]) -> None:
    _some_done(world, rule_done_by)
    client = world.client("secretary")
    url = detail_url(campaign)
    before = _queries(client, url)
    _more(world, rule_done_by)
    services.review_stage(stage=campaign.stages.get(order=1), by=world.users["supervisor"], rating="good", comment="好")
    assert _queries(client, url) == before


@pytest.mark.parametrize("persona", ["secretary", "committee", "office", "supervisor", "member"])
def test_every_work_area_linked_from_the_campaign_opens_for_the_viewer(
    world: World, campaign: Campaign, persona: str
) -> None:
    client = world.client(persona)
    page = client.get(detail_url(campaign)).content.decode()
    nav = page[page.index('id="workspaces"') : page.index("</nav>", page.index('id="workspaces"'))]
    links = re.findall(r'href="([^"]+)"', nav)
    assert len(links) >= 6
    for link in links:
        assert client.get(link).status_code == 200, (persona, link)
    assert ("/opinions/" in nav) is (persona != "member")  # the office's work; members give opinions elsewhere


def test_the_node_page_links_its_rectification_and_library_pages(world: World) -> None:
    for persona, library in [("secretary", True), ("committee", False)]:
        client = world.client(persona)
        page = client.get(reverse("org:node", kwargs={"org_code": "BRANCH"})).content.decode()
        work = page[page.index('id="node-work"') : page.index("</p>", page.index('id="node-work"'))]
        links = re.findall(r'href="([^"]+)"', work)
        assert ("/originality/library/" in work) is library
        assert all(client.get(link).status_code == 200 for link in links), persona


def test_a_refused_sign_off_is_shown_beside_the_button_not_at_the_top(world: World, campaign: Campaign) -> None:
    first = campaign.stages.get(order=1)
    url = reverse("campaigns:sign_off", kwargs={"stage_id": first.pk})
    client = world.client("secretary")
    # A plain post comes back to the stage's anchor, with the refusal inside the stage's card.
    response = client.post(url)
    assert response["Location"].endswith(f"#stage-{first.pk}")
    html = client.get(response["Location"]).content.decode()
    card = html[html.index(f'id="stage-{first.pk}"') : html.index(f'id="sign-off-{first.pk}"')]
    assert "回头看还有 6 项未勾选" in card and f'data-placed="stage-{first.pk}"' in card
    top = html[html.index("<main") : html.index(f'id="stage-{first.pk}"')]
    assert "回头看还有" not in top
    # htmx swaps the stage's look-back, with the refusal just above the button.
    partial = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'id="lookback-{first.pk}"' in partial and "<main" not in partial
    assert partial.index(f'id="sign-off-error-{first.pk}"') < partial.index(f'id="sign-off-{first.pk}"')
    assert "回头看还有 6 项未勾选" in partial
    # A successful htmx sign-off reloads the page on the stage that opened.
    tick_all(first, world)
    done = client.post(url, HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Redirect"].endswith(f"#stage-{campaign.stages.get(order=2).pk}")
