from datetime import date
from typing import Any

import pytest

from conftest import World
from pingyi.campaigns import services as campaigns
from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.writings import services
from pingyi.writings.models import REFLECTION_RULE, SELF_ANALYSIS_RULE, Writing

START = date(2005, 1, 10)
FULL_SECTIONS = {
    "problems": "理论学习不够深入。",
    "causes": "放松了主观世界的改造。",
    "measures": "每周学习两次，写笔记。",
}
ALL_COMPARED = {
    key: {"checked": True, "note": "已对照"} for key in ("constitution", "requirements", "models", "duties")
}


@pytest.fixture
def reflection_item(campaign: Campaign) -> WorkItem:
    return WorkItem.objects.select_related("stage__campaign").get(stage__campaign=campaign, rule=REFLECTION_RULE)


@pytest.fixture
def analysis_item(world: World, campaign: Campaign) -> WorkItem:
    """The self-analysis is in stage 2: sign stage 1 off so it opens."""
    first = campaign.stages.get(order=1)
    for line in first.lookback_items.all():
        campaigns.check_lookback_item(item=line, by=world.users["secretary"])
    campaigns.sign_off_stage(stage=first, by=world.users["secretary"])
    return WorkItem.objects.select_related("stage__campaign").get(stage__campaign=campaign, rule=SELF_ANALYSIS_RULE)


def write(world: World, item: WorkItem, persona: str = "member", **content: Any) -> Writing:
    """A draft by the persona with the given content (a reflection's text by default)."""
    user = world.users[persona]
    writing = services.start_writing(work_item=item, author=world.people[persona], by=user)
    if writing.is_self_analysis:
        content.setdefault("sections", FULL_SECTIONS)
        content.setdefault("comparisons", ALL_COMPARED)
    else:
        content.setdefault("text", "学习党章，对照检查自己的不足。")
    services.save_draft(writing=writing, by=user, title=content.pop("title", "学习心得"), **content)
    writing.refresh_from_db()
    return writing


def submitted(world: World, item: WorkItem, persona: str = "member", **content: Any) -> Writing:
    writing = write(world, item, persona, **content)
    services.submit_writing(writing=writing, by=world.users[persona])
    writing.refresh_from_db()
    return writing
