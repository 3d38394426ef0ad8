"""The demo test: a bank of questions on the party constitution and rules (demo_bank/constitution.gift, written
for this project), the 100-question paper, the campaign's sitting as in the source (28 of 29 sat; the one
working away has a make-up open now), and a self-test open now so a member can sit a real paper."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.core.hooks import DEMO, DEMO_ACTOR
from pingyi.org.models import OrgUnit, Person

from . import selectors, services
from .models import CHOICE_KINDS, Kind, Mode, QuestionBank, Sitting

BANK_FILE = Path(__file__).parent / "demo_bank" / "constitution.gift"
RULES = [
    services.RuleInput(kind=Kind.TRUE_FALSE, count=25),
    services.RuleInput(kind=Kind.SINGLE, count=40),
    services.RuleInput(kind=Kind.MULTIPLE, count=15),
    services.RuleInput(kind=Kind.FILL, count=18),
    services.RuleInput(kind=Kind.SHORT, count=2),
]
AWAY = "冯志刚"  # working away: missed the test, sits the make-up
ON_PAPER = {"韩桂兰", "唐振华"}  # retired, no phone: paper answer sheets typed in by the secretary
HARD_WORDS = ("两个务必", "嘉兴", "自行脱党", "可以成立", "战斗堡垒")  # what members tend to get wrong


def seed(nodes: dict[str, OrgUnit], people: dict[str, Person]) -> None:
    branch = nodes["branch"]
    campaign = Campaign.objects.filter(org=branch, is_demo=True).first()
    if campaign is None or QuestionBank.objects.filter(org=branch, is_demo=True).exists():
        return
    secretary = get_user_model().objects.filter(username="secretary").first() or DEMO_ACTOR
    bank = services.create_bank(org=branch, name=f"党章和党内规矩{DEMO}", by=DEMO_ACTOR, is_demo=True)
    services.import_questions(
        bank=bank, data=BANK_FILE.read_bytes(), filename=BANK_FILE.name, by=DEMO_ACTOR, is_demo=True
    )
    paper = services.create_paper(
        org=branch, bank=bank, code="hundred-questions", title=f"百题测试{DEMO}", rules=RULES, pass_mark=60,
        by=DEMO_ACTOR, is_demo=True,
    )  # fmt: skip
    item = WorkItem.objects.filter(stage__campaign=campaign, rule="exams.sat").first()
    now = timezone.now()
    held = services.create_sitting(
        campaign=campaign, paper=paper, title=f"百题测试{DEMO}", opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=33), time_limit=90, work_item=item, by=DEMO_ACTOR, is_demo=True,
    )  # fmt: skip
    members = list(Person.objects.members().in_subtree(branch).order_by("id"))
    for person in members:
        if person.name != AWAY:
            _sit(held, person, secretary, now - timedelta(days=38))
    for answer in list(selectors.ungraded(held))[:-3]:  # three left, so the grading page has work to show
        _grade(answer, secretary)
    away = next((p for p in members if p.name == AWAY), None)
    if away is not None:
        services.create_makeup(
            sitting=held, seats=[(away, "在外地驻点工作，未能参加")], opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=10), time_limit=90, by=secretary, is_demo=True,
        )  # fmt: skip
    services.create_sitting(
        campaign=campaign, paper=paper, title=f"党章知识自测{DEMO}", opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30), time_limit=60, by=secretary, is_demo=True,
    )  # fmt: skip


def _sit(sitting: Sitting, person: Person, secretary: object, at: datetime) -> None:
    """A member's answers, right with their own likelihood (harder questions less often), then submitted."""
    rng = random.Random(f"demo-{person.name}")
    ability = rng.uniform(0.62, 0.97)
    mode = Mode.PAPER if person.name in ON_PAPER else Mode.ONLINE
    sheet = services.start_sheet(sitting=sitting, person=person, by=DEMO_ACTOR, mode=mode, now=at, is_demo=True)
    answers = list(sheet.answers.select_related("question"))
    responses = {a.position: _response(a, rng, ability) for a in answers}
    services.save_answers(sheet=sheet, responses=responses, now=at + timedelta(minutes=30))
    services.submit_sheet(sheet=sheet, by=secretary if mode == Mode.PAPER else DEMO_ACTOR,
                          now=at + timedelta(minutes=rng.randint(35, 80)))  # fmt: skip


def _response(answer: object, rng: random.Random, ability: float) -> str:
    question = answer.question  # type: ignore[attr-defined]
    hard = any(word in question.text for word in HARD_WORDS)
    right = rng.random() < ability * (0.4 if hard else 1.0)
    if question.kind in CHOICE_KINDS:
        correct = [o["id"] for o in question.options if o.get("correct")]
        wrong = [o["id"] for o in question.options if not o.get("correct")]
        chosen = correct if right or not wrong else [rng.choice(wrong)]
        return ",".join(str(i) for i in sorted(chosen))
    if question.kind == Kind.FILL:
        return question.accepted[0] if right else "不清楚"
    return question.reference[:60] if right else "要密切联系群众，立足本职做好工作。"


def _grade(answer: object, secretary: object) -> None:
    full = answer.response.startswith(answer.question.reference[:10])  # type: ignore[attr-defined]
    points = answer.max_points if full else 0  # type: ignore[attr-defined]
    services.grade_short_answer(answer=answer, points=points, comment="要点齐全" if full else "要点不全", by=secretary)  # type: ignore[arg-type]
