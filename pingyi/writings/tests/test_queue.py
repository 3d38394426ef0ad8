"""The review queue: every piece waiting for the reviewer, oldest first, counted as the home card counts it,
and the next piece opened after each decision (issue 12, item 2)."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import World, add_member
from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.originality import services as originality
from pingyi.originality.models import CorpusDocument
from pingyi.originality.tests.texts import HONEST_A, HONEST_B
from pingyi.writings import services
from pingyi.writings.models import Writing

from .conftest import submitted

pytestmark = pytest.mark.django_db


def queue_url(campaign: Campaign) -> str:
    return reverse("writings:queue", kwargs={"campaign_id": campaign.pk})


def detail_url(writing: Writing) -> str:
    return reverse("writings:detail", kwargs={"writing_id": writing.pk})


def _aged(writing: Writing, days: int) -> Writing:
    Writing.objects.filter(pk=writing.pk).update(submitted_at=timezone.now() - timedelta(days=days))
    writing.refresh_from_db()
    return writing


def _checked(writing: Writing) -> None:
    """The originality job, run now (in the app it runs after the submit commits)."""
    document = CorpusDocument.objects.get(kind="writing", ref=writing.versions.get().pk)
    originality.check_document(document=document)


def _home_count(client: Any) -> int:
    found = re.search(r"(\d+) 份文稿等待你审阅", client.get("/").content.decode())
    return int(found.group(1)) if found else 0


def test_queue_lists_what_waits_oldest_first_and_counts_as_the_home_card(
    world: World, campaign: Campaign, reflection_item: WorkItem, django_capture_on_commit_callbacks: Any
) -> None:
    add_member(world, "李党员", login="li")
    add_member(world, "赵党员", login="zhao")
    # 王党员's earlier piece was accepted; a second one waits: the page counts 王党员 as 已通过, the queue has it.
    first = submitted(world, reflection_item, title="早先通过的一篇")
    services.accept_writing(writing=first, by=world.users["secretary"], version_number=1)
    with django_capture_on_commit_callbacks(execute=True):
        newer = _aged(submitted(world, reflection_item, title="王的第二篇", text=HONEST_A), 1)
        oldest = _aged(submitted(world, reflection_item, persona="li", title="李的心得", text=HONEST_B), 3)
    zhao = _aged(submitted(world, reflection_item, persona="zhao", title="赵的心得"), 2)  # not yet checked
    client = world.client("secretary")

    page = client.get(queue_url(campaign)).content.decode()
    order = [int(pk) for pk in re.findall(r'class="list-group-item d-flex gap-2 queue-row" data-writing="(\d+)"', page)]
    assert order == [oldest.pk, zhao.pk, newer.pk]
    assert "早先通过的一篇" not in page
    assert "3 份文稿等待你审阅" in page and _home_count(client) == 3
    # Each piece with its 复制比 and verdict colour (the two essays share a few common phrases), or 检测中.
    assert len(re.findall(r'data-verdict="\w+">复制比 \d+\.\d%', page)) == 2 and "检测中" in page
    writings_page = client.get(reverse("writings:campaign", kwargs={"campaign_id": campaign.pk})).content.decode()
    assert "审阅队列：3 篇等待你审阅" in writings_page
    assert queue_url(campaign) in client.get("/").content.decode()  # the home card leads to the queue


def test_each_decision_opens_the_next_piece_and_the_last_returns_to_the_queue(
    world: World, campaign: Campaign, reflection_item: WorkItem
) -> None:
    add_member(world, "李党员", login="li")
    mine = _aged(submitted(world, reflection_item), 2)
    lis = _aged(submitted(world, reflection_item, persona="li"), 1)
    client = world.client("secretary")
    detail = client.get(detail_url(mine)).content.decode()
    assert "审阅队列：第 1 篇，共 2 篇" in detail and f'id="queue-next" href="{detail_url(lis)}"' in detail

    response = client.post(reverse("writings:accept", kwargs={"writing_id": mine.pk}), {"version": 1})
    assert response["Location"] == detail_url(lis)
    returning = {"version": 1, "comment": "请写具体些"}
    response = client.post(reverse("writings:return", kwargs={"writing_id": lis.pk}), returning)
    assert response["Location"] == queue_url(campaign)
    followed = client.get(response["Location"]).content.decode()
    assert "没有等待你审阅的文稿了" in followed and "0 份文稿等待你审阅" in followed
    assert _home_count(client) == 0


def test_a_refused_decision_stays_on_the_piece(world: World, campaign: Campaign, reflection_item: WorkItem) -> None:
    writing = submitted(world, reflection_item)
    response = world.client("secretary").post(
        reverse("writings:return", kwargs={"writing_id": writing.pk}), {"version": 1, "comment": " "}
    )
    assert response["Location"] == detail_url(writing)


def test_the_supervision_group_queues_only_leaders_analyses_waiting_for_it(
    world: World, analysis_item: WorkItem, reflection_item: WorkItem
) -> None:
    add_member(world, "张局长", login="leader", leader=True)
    leader = submitted(world, analysis_item, persona="leader")
    submitted(world, reflection_item)
    campaign = analysis_item.stage.campaign
    supervisor = world.client("supervisor")
    page = supervisor.get(queue_url(campaign)).content.decode()
    assert f'data-writing="{leader.pk}"' in page and "1 份文稿等待你审阅" in page
    assert _home_count(supervisor) == 1
    services.accept_writing(writing=leader, by=world.users["supervisor"], version_number=1)
    assert "0 份文稿等待你审阅" in supervisor.get(queue_url(campaign)).content.decode()
    assert _home_count(world.client("secretary")) == 2  # the branch still has both


@pytest.mark.parametrize(("persona", "status"), [("committee", 403), ("member", 403), ("outsider", 404)])
def test_queue_is_for_reviewers(world: World, campaign: Campaign, persona: str, status: int) -> None:
    assert world.client(persona).get(queue_url(campaign)).status_code == status


def test_queue_anonymous_and_wrong_method(world: World, campaign: Campaign) -> None:
    response = world.client("anonymous").get(queue_url(campaign))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert world.client("secretary").post(queue_url(campaign)).status_code == 405


def test_queue_reads_in_a_fixed_number_of_queries(
    world: World,
    campaign: Campaign,
    reflection_item: WorkItem,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    for n in range(8):
        add_member(world, f"党员{n}", login=f"p{n}")
        with django_capture_on_commit_callbacks(execute=True):
            submitted(world, reflection_item, persona=f"p{n}")
    client = world.client("secretary")
    client.get(queue_url(campaign))  # warm the session
    with django_assert_max_num_queries(12):
        page = client.get(queue_url(campaign)).content.decode()
    assert "8 份文稿等待你审阅" in page
