"""The first draft of a member's feedback, written only from what the record holds.

Each sentence carries where it came from (a work item's completion record, an opinion gathered,
the committee's decision), so the secretary edits facts rather than inventing them. Work items with no
records yet (no provider) are left out rather than guessed; only work that is overdue (past its
deadline, or its stage closed) is a shortcoming, never work that still has time to run.

The committee's grade and opinion are not sentences of the three parts: the letter carries them in a
place of their own. The grade shapes the parts: the committee's reasons count as strengths for 优秀 and
合格 and as problems for 基本合格 and 不合格, and the direction says what the grade asks of the member.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from pingyi.campaigns.models import Campaign, Stage
from pingyi.campaigns.progress import PersonRow, State, person_progress
from pingyi.evaluation.selectors import CommitteeOpinion
from pingyi.opinions.selectors import opinions_about
from pingyi.org.models import Person

from .models import Section

# The evaluation's own steps (the committee's opinion, the notice, this feedback, casting a secret vote)
# are the branch's process, not the member's record: they never become sentences about the member.
PROCESS_RULES = "evaluation."


@dataclass(frozen=True)
class Sentence:
    section: str
    text: str
    source: str


def person_row(person: Person) -> PersonRow:
    row = (
        Person.objects.filter(pk=person.pk)
        .with_post_flags()
        .values_list("id", "name", "org__path", "is_leader", "is_committee")
        .get()
    )
    return PersonRow(*row)


def draft_sentences(person: Person, campaign: Campaign, decided: CommitteeOpinion | None = None) -> list[Sentence]:
    row = person_row(person)
    out = _from_decision(decided) if decided else []
    out += _from_work_items(person, campaign, row)
    out += _from_opinions(person, campaign)
    return out


def _from_decision(decided: CommitteeOpinion) -> list[Sentence]:
    """What the committee's grade puts into the three parts (the grade and opinion themselves stand apart)."""
    if not decided.graded:
        return []
    grade = decided.grade_label
    source = _("支部委员会评定理由（评定等次：%(grade)s）") % {"grade": grade}
    follows = _("由评定等次（%(grade)s）得出") % {"grade": grade}
    if decided.needs_correction:
        out = [Sentence(Section.PROBLEMS, decided.reason, source)]
        if decided.failed and decided.correct_by:
            on = decided.correct_by
            text = _("接受支部的教育帮助，在%(date)s前改正支部指出的问题。") % {
                "date": f"{on.year}年{on.month}月{on.day}日"
            }
        else:
            text = _("对照支部指出的问题逐项整改，在下一年度民主评议时报告整改情况。")
        return [*out, Sentence(Section.DIRECTION, text, follows)]
    out = [Sentence(Section.STRENGTHS, decided.reason, source)]
    if decided.is_top:
        out.append(Sentence(Section.DIRECTION, _("继续发挥先锋模范作用，带动身边的党员。"), follows))
    return out


def _from_work_items(person: Person, campaign: Campaign, row: PersonRow) -> list[Sentence]:
    out: list[Sentence] = []
    missing: list[str] = []
    stages = campaign.stages.exclude(status=Stage.Status.PENDING).prefetch_related("work_items").order_by("order")
    for stage in stages:
        for item in stage.work_items.all():
            if item.rule.startswith(PROCESS_RULES) or not row.concerned_by(item.audience):
                continue
            state = person_progress(item, campaign.org, row).mine
            where = _("%(stage)s · 工作事项“%(item)s”的完成记录") % {"stage": stage.name, "item": item.name}
            if state == "done":
                out.append(Sentence(Section.STRENGTHS, _("按要求完成了“%(item)s”。") % {"item": item.name}, where))
            elif state == State.OVERDUE and item.required:  # never work that still has time to run
                out.append(Sentence(Section.PROBLEMS, _("“%(item)s”尚未完成。") % {"item": item.name}, where))
                missing.append(item.name)
    if missing:
        names = "、".join(f"“{name}”" for name in missing)
        out.append(
            Sentence(
                Section.DIRECTION,
                _("抓紧完成%(items)s，按时补齐。") % {"items": names},
                _("由上列未完成的工作事项得出"),
            )
        )
    return out


def _from_opinions(person: Person, campaign: Campaign) -> list[Sentence]:
    out: list[Sentence] = []
    for opinion in opinions_about(person, campaign):
        source = _("征求意见“%(round)s”（%(channel)s，%(date)s）") % {
            "round": opinion.round.title,
            "channel": opinion.get_channel_display(),
            "date": f"{opinion.created_at:%Y-%m-%d}",
        }
        out.append(Sentence(Section.PROBLEMS, _("有意见提出：%(text)s") % {"text": opinion.text}, source))
    if out:
        out.append(
            Sentence(
                Section.DIRECTION,
                _("针对征求到的意见逐条查找原因，明确措施和时限，认真整改。"),
                _("由上列征求到的意见得出"),
            )
        )
    return out


def draft_text(sentences: list[Sentence]) -> dict[str, str]:
    """The three sections as editable text, one sentence a line."""
    return {section: "\n".join(s.text for s in sentences if s.section == section) for section in Section.values}


def as_basis(sentences: list[Sentence]) -> list[dict]:
    return [asdict(s) for s in sentences]
