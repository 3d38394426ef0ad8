"""Demo rectification records for the demo branch: items in each state, one published, a four-checks run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from pingyi.campaigns.models import Campaign
from pingyi.core.hooks import DEMO, DEMO_ACTOR
from pingyi.org.models import OrgUnit, Person

from . import services
from .models import ItemSource, RectificationItem, Scope


def seed(nodes: dict[str, OrgUnit], people: dict[str, Person]) -> None:
    branch = nodes["branch"]
    if RectificationItem.objects.filter(org=branch, is_demo=True).exists():
        return
    campaign = Campaign.objects.filter(org=branch, is_demo=True).first()
    today = timezone.localdate()

    def item(title: str, owner: str, days: int, **extra: Any) -> RectificationItem:
        return services.create_item(
            org=branch,
            campaign=campaign,
            title=f"{title}{DEMO}",
            owner=people.get(owner),
            due_on=today + timedelta(days=days),
            by=DEMO_ACTOR,
            is_demo=True,
            **extra,
        )

    published = item(
        "办理社保关系转移要多次往返",
        "secretary",
        10,
        source=ItemSource.OPINION,
        source_label=f"服务对象座谈会{DEMO}",
        measures="梳理材料清单，窗口一次性告知，能并联办理的并联办理。",
    )
    services.report_done(item=published, report="已印发一次性告知单并在窗口试行两周。", files=[], by=DEMO_ACTOR)
    services.verify_item(item=published, by=DEMO_ACTOR)
    services.publish_item(
        item=published,
        scope=Scope.PUBLIC,
        public_title=f"社保关系转移一次告知{DEMO}",
        public_summary="印发一次性告知单，群众办理社保关系转移不再多次往返。",
        by=DEMO_ACTOR,
    )
    item(
        "学习笔记记得不够认真",
        "member",
        -10,
        source=ItemSource.SELF_ANALYSIS,
        measures="每周整理一次学习笔记，在小组会上交流。",
    )
    reported = item(
        "深入联系点调研不够",
        "leader",
        20,
        source=ItemSource.COMMITMENT,
        source_label=f"专题民主生活会{DEMO}",
        measures="每月到挂钩联系点调研一次，形成调研报告。",
    )
    services.report_done(
        item=reported, report="已到城关社区劳动保障站调研两次，报告已交支部。", files=[], by=DEMO_ACTOR
    )

    check = services.create_check(
        org=branch, campaign=campaign, title=f"办事程序和服务承诺四个查一查{DEMO}", by=DEMO_ACTOR, is_demo=True
    )
    services.add_check_entry(
        check=check,
        area="procedure",
        procedure="失业登记",
        legal_basis="《就业促进法》",
        promised_days=5,
        actual_days=3,
        simplified="yes",
        by=DEMO_ACTOR,
    )
    services.add_check_entry(
        check=check,
        area="commitment",
        procedure="养老保险关系转移接续",
        legal_basis="《社会保险法》",
        promised_days=10,
        actual_days=15,
        owner=people.get("committee"),
        due_on=today + timedelta(days=30),
        by=DEMO_ACTOR,
    )
