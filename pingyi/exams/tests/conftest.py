"""A small bank, the paper drawn from it, and a sitting open now in the branch's campaign."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from pingyi.campaigns.models import WorkItem
from pingyi.exams import services
from pingyi.exams.models import Kind, Paper, QuestionBank, Sitting

SMALL_BANK = """
$CATEGORY: 党章
党的根本宗旨是全心全意为人民服务。{T}

预备党员的预备期为两年。{F}

党的组织原则是（　）。{=民主集中制 ~集体领导 ~少数服从多数 ~个人服从组织}

申请入党的人，要有（　）名正式党员作介绍人。{=两 ~一 ~三 ~四}

党的全国代表大会每（　）年举行一次。{=五 ~三 ~四 ~十}

$CATEGORY: 纪律
党的纪律处分包括（　）。{~%50%警告 ~%50%开除党籍 ~%-100%罚款}

党内的最高处分是{=开除党籍}。

留党察看最长不超过{=两年 =2年}。

请写出党的五种纪律处分。{####警告、严重警告、撤销党内职务、留党察看、开除党籍。}
"""

SMALL_RULES = [
    services.RuleInput(kind=Kind.TRUE_FALSE, count=2),
    services.RuleInput(kind=Kind.SINGLE, count=2),
    services.RuleInput(kind=Kind.MULTIPLE, count=1),
    services.RuleInput(kind=Kind.FILL, count=2, points=2),
    services.RuleInput(kind=Kind.SHORT, count=1, points=5),
]


def make_bank(world: World, text: str = SMALL_BANK, name: str = "题库") -> QuestionBank:
    bank = services.create_bank(org=world.orgs["branch"], name=name, by=world.users["secretary"])
    services.import_questions(bank=bank, data=text.encode(), filename="bank.gift", by=world.users["secretary"])
    return bank


def make_paper(world: World, bank: QuestionBank, **options: Any) -> Paper:
    values: dict[str, Any] = {"code": "hundred-questions", "title": "百题测试", "rules": SMALL_RULES, "pass_mark": 6}
    values.update(options)
    return services.create_paper(org=world.orgs["branch"], bank=bank, by=world.users["secretary"], **values)


def make_sitting(world: World, campaign: Any, paper: Paper, minutes: int = 30, **options: Any) -> Sitting:
    now = timezone.now()
    values: dict[str, Any] = {
        "title": "百题测试",
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=1),
        "time_limit": minutes,
        "work_item": WorkItem.objects.get(stage__campaign=campaign, rule="exams.sat"),
    }
    values.update(options)
    return services.create_sitting(campaign=campaign, paper=paper, by=world.users["secretary"], **values)


@pytest.fixture
def bank(world: World) -> QuestionBank:
    return make_bank(world)


@pytest.fixture
def paper(world: World, bank: QuestionBank) -> Paper:
    return make_paper(world, bank)


@pytest.fixture
def sitting(world: World, campaign: Any, paper: Paper) -> Sitting:
    return make_sitting(world, campaign, paper)
