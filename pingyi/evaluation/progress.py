"""Progress providers for the campaign templates' evaluation work items (see campaigns.progress)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import register_rule
from pingyi.org.models import Person

from .models import EvaluationRound, Notice, Participation, SelfAssessment
from .selectors import all_decided, people_with_decisions

PAGE = "evaluation:campaign"


@register_rule("evaluation.self_assessed", _("提交个人讲评"), url_name=PAGE)
def self_assessed(item: WorkItem, people: QuerySet[Person]) -> Iterable[int]:
    return SelfAssessment.objects.filter(
        member__round__campaign_id=item.stage.campaign_id, member__person__in=people
    ).values_list("member__person_id", flat=True)


@register_rule("evaluation.participated", _("参加民主测评"), url_name=PAGE)
def participated(item: WorkItem, people: QuerySet[Person]) -> Iterable[int]:
    """Who voted, which is not secret; what they voted is nowhere to be joined (ADR 0004)."""
    return Participation.objects.filter(
        round__campaign_id=item.stage.campaign_id, member__person__in=people
    ).values_list("member__person_id", flat=True)


@register_rule("evaluation.opinion_formed", _("形成评议意见"), url_name=PAGE)
def opinion_formed(item: WorkItem, people: QuerySet[Person]) -> Iterable[int]:
    return people_with_decisions(item.stage.campaign, people)


@register_rule("evaluation.grades_proposed", _("支委会提出评定等次"), url_name=PAGE)
def grades_proposed(item: WorkItem, people: QuerySet[Person]) -> Iterable[int]:
    """A committee task: done for the whole committee once every member of a closed round has a decision."""
    return people.values_list("pk", flat=True) if all_decided(item.stage.campaign) else []


@register_rule("evaluation.notified", _("通报评议情况"), url_name=PAGE)
def notified(item: WorkItem, people: QuerySet[Person]) -> Iterable[int]:
    published = Notice.objects.filter(
        round__campaign_id=item.stage.campaign_id, round__status=EvaluationRound.Status.CLOSED
    ).exists()
    return people.values_list("pk", flat=True) if published else []
