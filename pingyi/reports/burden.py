"""The burden meter: how much a campaign template asks people to enter, so its designers and supervisors see the
load it imposes (DOMAIN.md: burden reduction, 减负).

For each progress rule, what doing the work means someone enters into the system, per person the item is
about (`entries`: role -> number of facts), and how many taps the main task took when a browser test
measured it (`taps`; the browser tests import these numbers and fail if the task takes more). A work item
without a provider is a fact the system cannot hold: it must be reported some other way, and the meter says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import CampaignTemplate
from pingyi.campaigns.progress import get_rule
from pingyi.campaigns.spec import parse_template

MEMBER, SECRETARY, COMMITTEE, OFFICE = "member", "secretary", "committee", "office"
ROLES = {MEMBER: _("党员"), SECRETARY: _("支部书记"), COMMITTEE: _("支委会"), OFFICE: _("保先办")}


@dataclass(frozen=True)
class Burden:
    entries: dict[str, int]  # role -> facts entered per person the item is about
    what: Any  # in words, for the page
    taps: dict[str, int] = field(default_factory=dict)  # role -> taps of the main task, as a browser test measured


# Facts per person concerned. A member writing a piece enters one text; a reviewer one decision per piece.
RULES: dict[str, Burden] = {
    "writings.reflection_accepted": Burden({MEMBER: 1, SECRETARY: 1}, _("党员写一篇心得；审阅人逐篇通过或退回")),
    "writings.self_analysis_accepted": Burden(
        {MEMBER: 1, SECRETARY: 1}, _("党员写一份党性分析材料；审阅人逐份通过或退回")
    ),
    "talks.covered": Burden({MEMBER: 1}, _("谈话后由一方记录一次谈话（一次记录覆盖参加的每一对）")),
    "opinions.solicited": Burden({MEMBER: 1}, _("领导记录一次座谈会或走访")),
    "meetings.attended": Burden({SECRETARY: 1}, _("会后由支部记录出席和发言，每人一行")),
    "evaluation.self_assessed": Burden({MEMBER: 1}, _("党员写个人讲评")),
    "evaluation.participated": Burden({MEMBER: 1}, _("党员填一张测评票（每名被评议人选一个等次）")),
    "evaluation.opinion_formed": Burden({COMMITTEE: 1}, _("支委会对每名党员形成一条评议意见")),
    "evaluation.grades_proposed": Burden({COMMITTEE: 0}, _("评议意见形成后自动完成，不另填")),
    "evaluation.notified": Burden({SECRETARY: 0}, _("发布一份通报（按组织计，不按人）")),
    "feedback.acknowledged": Burden({MEMBER: 1, SECRETARY: 1}, _("支部修改起草好的反馈；党员点一次确认")),
    "rectification.personal_plan_done": Burden(
        {MEMBER: 1, SECRETARY: 1}, _("党员报告整改情况（佐证材料可选）；支部核实")
    ),
    "rectification.leadership_plan_done": Burden({SECRETARY: 1}, _("领导班子整改事项逐条列明措施和时限")),
    "rectification.commitments_published": Burden({OFFICE: 0}, _("四个查一查逐项登记后公开（按组织计）")),
    "study.attendance": Burden(
        {SECRETARY: 0},
        _("每次活动一份考勤：全部出席一点，缺席逐人一点；党员不用填"),
        taps={SECRETARY: 7},  # a 29-member register, three exceptions (study/tests/test_browser_study.py)
    ),
    "study.lecture_given": Burden({SECRETARY: 1}, _("登记一次党课或辅导（讲课人）")),
    "exams.sat": Burden({MEMBER: 1}, _("党员答一份试卷（答案随答随存）")),
}


@dataclass(frozen=True)
class ItemLoad:
    name: str
    rule: str
    burden: Burden | None
    defect: str  # why the item weighs more than it should, or ""


@dataclass(frozen=True)
class StageLoad:
    name: str
    items: list[ItemLoad]

    @property
    def totals(self) -> dict[str, int]:
        counted: Counter[str] = Counter()
        for item in self.items:
            if item.burden:
                counted.update(item.burden.entries)
        return {role: counted.get(role, 0) for role in ROLES}

    @property
    def defects(self) -> int:
        return sum(1 for item in self.items if item.defect)


def template_load(template: CampaignTemplate) -> list[StageLoad]:
    spec = parse_template(template.body)
    stages = []
    for stage in spec.stages:
        seen: set[tuple[str, str]] = set()
        items = []
        for item in stage.work_items:
            key = (item.rule, repr(sorted(item.params.items())))
            defect = ""
            if not item.rule or get_rule(item.rule) is None:
                defect = str(_("系统不记录这项工作：要另行报告，是重复填报"))
            elif key in seen:
                defect = str(_("同一阶段重复要求同一件事"))
            seen.add(key)
            items.append(ItemLoad(item.name, item.rule, RULES.get(item.rule), defect))
        stages.append(StageLoad(stage.name, items))
    return stages
