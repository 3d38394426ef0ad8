"""Papers: the rules that draw each member's questions from a bank."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pingyi.core import audit
from pingyi.org.models import OrgUnit

from ..drawing import NotEnoughQuestions, PaperSpec, PoolQuestion, RuleSpec, draw, new_seed
from ..models import Kind, Paper, PaperRule, Question, QuestionBank

MAX_QUESTIONS = 200


@dataclass(frozen=True)
class RuleInput:
    kind: str
    count: int
    points: int = 1
    tag: str = ""


def pool_of(bank_id: int) -> tuple[PoolQuestion, ...]:
    """The bank's questions as `drawing.draw` sees them, in id order: one query."""
    return tuple(
        PoolQuestion(id=pk, kind=kind, tags=tuple(tags or ()), option_ids=tuple(o["id"] for o in options or ()))
        for pk, kind, tags, options in Question.objects.filter(bank_id=bank_id)
        .order_by("id")
        .values_list("id", "kind", "tags", "options")
    )


def paper_spec(
    paper: Paper,
    rules: Sequence[PaperRule | RuleInput] | None = None,
    pool: tuple[PoolQuestion, ...] | None = None,
) -> PaperSpec:
    """What `drawing.draw` needs, read in two queries: the rules and the bank's questions (unless given)."""
    rules = list(paper.rules.all()) if rules is None else rules
    pool = pool_of(paper.bank_id) if pool is None else pool
    return PaperSpec(
        rules=tuple(RuleSpec(kind=r.kind, tag=r.tag, count=r.count, points=r.points) for r in rules),
        pool=pool,
        shuffle_questions=paper.shuffle_questions,
        shuffle_options=paper.shuffle_options,
        fixed_seed=None if paper.per_member else paper.seed,
    )


@transaction.atomic
def create_paper(
    *,
    org: OrgUnit,
    bank: QuestionBank,
    code: str,
    title: str,
    rules: Sequence[RuleInput],
    by: Any,
    per_member: bool = True,
    shuffle_questions: bool = True,
    shuffle_options: bool = True,
    pass_mark: int = 60,
    is_demo: bool = False,
) -> Paper:
    code, title = code.strip(), title.strip()
    rules = [r for r in rules if r.count or r.kind]
    if not re.fullmatch(r"[a-z0-9-]{1,40}", code):
        raise ValidationError(_("试卷代码只能用小写字母、数字和连字符，例如 hundred-questions。"))
    if not title:
        raise ValidationError(_("请填写试卷名称。"))
    if not org.is_within(bank.org):
        raise ValidationError(_("所选题库不属于本组织。"))
    if Paper.objects.filter(org=org, code=code).exists():
        raise ValidationError(_("本组织已有代码为“%(code)s”的试卷。") % {"code": code})
    if not rules:
        raise ValidationError(_("请至少写一条抽题规则。"))
    if any(r.kind not in Kind.values or r.points < 1 for r in rules):
        raise ValidationError(_("每条规则要选题型，每题分值至少 1 分。"))
    paper = Paper(
        org=org,
        bank=bank,
        code=code,
        title=title,
        per_member=per_member,
        shuffle_questions=shuffle_questions,
        shuffle_options=shuffle_options,
        pass_mark=pass_mark,
        seed=new_seed(),
        is_demo=is_demo,
    )
    try:
        drawn = draw(paper_spec(paper, rules), 0)
    except NotEnoughQuestions as exc:
        raise ValidationError(
            _("题库里符合“%(kind)s%(tag)s”的题只有 %(n)d 道，不够抽 %(count)d 道。")
            % {
                "kind": Kind(exc.rule.kind).label,
                "tag": f"·{exc.rule.tag}" if exc.rule.tag else "",
                "n": exc.available,
                "count": exc.rule.count,
            }
        ) from exc
    if not drawn or len(drawn) > MAX_QUESTIONS:
        raise ValidationError(_("一份试卷应有 1 到 %(n)d 道题。") % {"n": MAX_QUESTIONS})
    total = sum(d.points for d in drawn)
    if pass_mark > total:
        raise ValidationError(_("及格分不能高于满分（%(total)d 分）。") % {"total": total})
    paper.save()
    PaperRule.objects.bulk_create(
        PaperRule(paper=paper, order=i, kind=r.kind, tag=r.tag.strip(), count=r.count, points=r.points)
        for i, r in enumerate(rules, start=1)
    )
    audit.record(
        actor=by,
        action="exams.paper_created",
        org=org,
        target=paper,
        data={"code": code, "questions": len(drawn), "total": total},
    )
    return paper
