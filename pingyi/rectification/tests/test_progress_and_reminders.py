"""Work-item progress from the items, the overdue reminders (home cards, the command) and who sees what is published."""

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from conftest import World, add_member, open_campaign
from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.campaigns.progress import NODE
from pingyi.org import services as org_services
from pingyi.org.models import OrgType, Person, Role
from pingyi.portal.cards import cards_for
from pingyi.rectification import services
from pingyi.rectification.models import RectificationItem, Scope
from pingyi.rectification.permissions import published_for
from pingyi.rectification.progress import commitments_published, leadership_plan_done, personal_plan_done

pytestmark = pytest.mark.django_db


def work_item(campaign: Campaign, rule: str) -> WorkItem:
    return WorkItem.objects.get(stage__campaign=campaign, rule=rule)


def finish(item: RectificationItem, world: World) -> None:
    services.report_done(item=item, report="已整改", files=[], by=world.users["secretary"])
    services.verify_item(item=item, by=world.users["secretary"])


def test_personal_plan_is_done_when_every_own_item_is_verified(world: World) -> None:
    campaign = open_campaign(world)
    me, other = world.people["member"], add_member(world, "李明")
    people = Person.objects.filter(pk__in=[me.pk, other.pk])
    first = services.create_item(
        org=world.orgs["branch"], campaign=campaign, title="一", owner=me, measures="措施", by=None
    )
    second = services.create_item(
        org=world.orgs["branch"], campaign=campaign, title="二", owner=me, measures="措施", by=None
    )
    wi = work_item(campaign, "rectification.personal_plan_done")
    assert personal_plan_done(wi, people).done == set()
    finish(first, world)
    assert personal_plan_done(wi, people).done == set()
    finish(second, world)
    assert personal_plan_done(wi, people).done == {me.pk}


def test_leadership_plan_needs_measures_and_a_deadline(world: World) -> None:
    campaign = open_campaign(world)
    leader = world.people["member"]
    wi = work_item(campaign, "rectification.leadership_plan_done")
    people = Person.objects.filter(pk=leader.pk)
    item = services.create_item(org=world.orgs["branch"], campaign=campaign, title="作风", owner=leader, by=None)
    assert leadership_plan_done(wi, people) == set()
    services.update_item(item=item, measures="每月下基层", due_on=date(2005, 6, 30), by=None)
    assert leadership_plan_done(wi, people) == {leader.pk}


def test_commitments_published_is_done_for_the_whole_committee_once_published(world: World) -> None:
    campaign = open_campaign(world)
    wi = work_item(campaign, "rectification.commitments_published")
    people = Person.objects.filter(pk=world.people["member"].pk)
    check = services.create_check(org=world.orgs["branch"], campaign=campaign, title="四个查一查", by=None)
    services.add_check_entry(check=check, area="procedure", procedure="失业登记", promised_days=5, by=None)
    assert commitments_published(wi, people).done == set()
    services.publish_check(check=check, by=None)
    assert commitments_published(wi, people).done == {NODE}


def test_overdue_items_remind_the_owner_and_the_secretary_on_home(world: World) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    services.create_item(
        org=world.orgs["branch"], title="逾期事项", owner=world.people["member"], due_on=yesterday, by=None
    )
    mine = [c.title for c in cards_for(world.users["member"])]
    assert "整改事项已逾期：逾期事项" in mine
    secretary = [c for c in cards_for(world.users["secretary"]) if "逾期" in c.title]
    assert secretary and secretary[0].title == "1 项整改事项已逾期" and "status=overdue" in secretary[0].url
    assert not [c for c in cards_for(world.users["outsider"]) if "逾期" in c.title]
    assert not [c for c in cards_for(world.users["committee"]) if "逾期" in c.title]


def test_reminders_command_prints_what_is_overdue(world: World) -> None:
    yesterday = timezone.localdate() - timedelta(days=3)
    services.create_item(
        org=world.orgs["branch"], title="逾期事项", owner=world.people["member"], due_on=yesterday, by=None
    )
    services.create_item(org=world.orgs["other_branch"], title="别处逾期", due_on=yesterday, by=None)
    out = StringIO()
    call_command("rectification_reminders", stdout=out)
    text = out.getvalue()
    assert "逾期3天 · 逾期事项 · 王党员" in text and "别处逾期" in text and "共 2 项逾期。" in text
    out = StringIO()
    call_command("rectification_reminders", "--org", "BRANCH", stdout=out)
    assert "别处逾期" not in out.getvalue() and "共 1 项逾期。" in out.getvalue()


def _published(world: World, title: str, scope: str) -> RectificationItem:
    item = services.create_item(org=world.orgs["branch"], title=title, measures="m", by=None)
    finish(item, world)
    return services.publish_item(item=item, scope=scope, public_title=title, public_summary="已改", by=None)


def test_each_published_item_reaches_only_its_scope(world: World) -> None:
    public = _published(world, "公开事项", Scope.PUBLIC)
    branch = _published(world, "支部事项", Scope.BRANCH)
    bureau = _published(world, "全局事项", Scope.BUREAU)
    services.create_item(org=world.orgs["branch"], title="未公开", by=None)
    sibling = org_services.create_org_unit(
        parent=world.orgs["bureau"], type=OrgType.BRANCH, code="SIBLING", name="就业股支部", by=None
    )
    neighbour = get_user_model().objects.create_user("neighbour")
    org_services.grant_role(user=neighbour, org=sibling, role=Role.SECRETARY, by=None)

    class Anonymous:
        is_authenticated = False

    root = world.orgs["bureau"]
    seen = {
        name: {i.public_title for i in published_for(user, root)}
        for name, user in [
            ("anonymous", Anonymous()),
            ("member", world.users["member"]),
            ("office", world.users["office"]),
            ("neighbour", neighbour),
            ("outsider", world.users["outsider"]),
        ]
    }
    assert seen["anonymous"] == {public.public_title}
    assert seen["member"] == {public.public_title, branch.public_title, bureau.public_title}
    assert seen["office"] == {public.public_title, branch.public_title, bureau.public_title}
    assert seen["neighbour"] == {public.public_title, bureau.public_title}
    assert seen["outsider"] == {public.public_title}


def test_home_cards_stay_cheap(world: World, django_assert_max_num_queries: Any) -> None:
    from pingyi.rectification.home import cards

    with django_assert_max_num_queries(6):  # own overdue, returned, overdue to chase, its node; grants
        cards(world.users["secretary"])


def test_a_returned_item_waits_on_the_owners_home_until_reported_again(world: World) -> None:
    item = services.create_item(org=world.orgs["branch"], title="学习笔记", owner=world.people["member"], by=None)
    services.report_done(item=item, report="已整改", files=[], by=world.users["member"])
    services.return_item(item=item, reason="缺少笔记照片以外的记录", by=world.users["secretary"])
    cards = [c for c in cards_for(world.users["member"]) if "退回" in c.title]
    assert [c.title for c in cards] == ["整改事项被退回：学习笔记"] and cards[0].detail == "缺少笔记照片以外的记录"
    services.report_done(item=item, report="补充了记录", files=[], by=world.users["member"])
    assert not [c for c in cards_for(world.users["member"]) if "退回" in c.title]
