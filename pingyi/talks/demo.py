"""Demo talks in the demo branch's campaign: the committee has talked, members only partly (coverage half done)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from pingyi.campaigns.models import Campaign
from pingyi.core.hooks import DEMO
from pingyi.org.models import OrgUnit, Person

from . import services
from .models import Talk

# (days ago, side A names, side B names, topic, summary)
TALKS = [
    (
        20,
        ["林志明"],
        ["张建国", "陈秀英", "黄伟", "吴丽华"],
        "支委之间谈心",
        "交流了班子团结和带头开展活动的想法，互相指出了工作中的不足。",
    ),
    (
        15,
        ["陈秀英"],
        ["王海燕", "李明", "刘芳", "杨军"],
        "了解思想动态",
        "听取了对支部学习安排的意见，大家希望学习时间更集中。",
    ),
    (12, ["王海燕"], ["李明"], "同事之间谈心", "互相提了意见：窗口服务要更耐心，材料要一次性告知。"),
    (9, ["黄伟"], ["赵敏", "周强"], "谈岗位职责", "对照岗位职责查找差距，谈了就业服务中存在的推诿现象。"),
    (5, ["林志明", "张建国"], ["郑文"], "保先办工作", "谈了保先办近期工作安排，要求材料准确、不搞形式主义。"),
]


def seed(nodes: dict[str, OrgUnit], people: dict[str, Person]) -> None:
    branch = nodes["branch"]
    campaign = Campaign.objects.filter(org=branch, is_demo=True).first()
    if campaign is None or Talk.objects.filter(org=branch, is_demo=True).exists():
        return
    by_name = {p.name: p for p in Person.objects.members().in_subtree(branch)}
    secretary = get_user_model().objects.filter(username="secretary").first()
    today = timezone.localdate()
    for days_ago, side_a, side_b, topic, summary in TALKS:
        services.record_talk(
            campaign=campaign,
            held_on=today - timedelta(days=days_ago),
            topic=f"{topic}{DEMO}",
            summary=summary,
            side_a=[by_name[n] for n in side_a],
            side_b=[by_name[n] for n in side_b],
            by=secretary,
            is_demo=True,
        )
