"""Progress providers for the campaign templates' evaluation work items (see campaigns.progress)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import NODE, Report, register_rule
from pingyi.org.models import Person

from .models import EvaluationRound, Exclusion, Notice, Participation, SelfAssessment
from .selectors import all_decided, people_with_decisions

PAGE = "evaluation:campaign"


def _excluded(item: WorkItem, people: QuerySet[Person]) -> dict[int, str]:
    """Members the level above approved leaving out of the count (不计入参评人数), with the reason."""
    approved = Exclusion.objects.filter(
        round__campaign_id=item.stage.campaign_id, member__person__in=people, status=Exclusion.Status.APPROVED
    )
    return dict(approved.values_list("member__person_id", "reason"))


def _still(people: QuerySet[Person], done: set[int], text: Any) -> dict[int, str]:
    return {pk: str(text) for pk in people.values_list("pk", flat=True) if pk not in done}


@register_rule("evaluation.self_assessed", _("提交个人讲评"), url_name=PAGE)
def self_assessed(item: WorkItem, people: QuerySet[Person]) -> Report:
    campaign = item.stage.campaign_id
    written = SelfAssessment.objects.filter(member__round__campaign_id=campaign, member__person__in=people)
    done = set(written.filter(submitted_at__isnull=False).values_list("member__person_id", flat=True))
    started = set(written.filter(submitted_at__isnull=True).values_list("member__person_id", flat=True)) - done
    left = {pk: str(_("个人讲评草稿未提交")) for pk in started}
    return Report(
        done=done,
        started=started,
        excused=_excluded(item, people),
        left={**_still(people, done, _("个人讲评未写")), **left},
    )


@register_rule("evaluation.participated", _("参加民主测评"), url_name=PAGE)
def participated(item: WorkItem, people: QuerySet[Person]) -> Report:
    """Who voted, which is not secret; what they voted is nowhere to be joined (ADR 0004)."""
    done = set(
        Participation.objects.filter(round__campaign_id=item.stage.campaign_id, member__person__in=people).values_list(
            "member__person_id", flat=True
        )
    )
    return Report(done=done, excused=_excluded(item, people), left=_still(people, done, _("尚未参加民主测评")))


@register_rule("evaluation.opinion_formed", _("形成评议意见"), url_name=PAGE)
def opinion_formed(item: WorkItem, people: QuerySet[Person]) -> Iterable[int]:
    return people_with_decisions(item.stage.campaign, people)


@register_rule("evaluation.grades_proposed", _("支委会提出评定等次"), url_name=PAGE)
def grades_proposed(item: WorkItem, people: QuerySet[Person]) -> Report:
    """Node-wide: done once every member of a closed round has the committee's decision."""
    return Report(done={NODE}) if all_decided(item.stage.campaign) else Report()


@register_rule("evaluation.notified", _("通报评议情况"), url_name=PAGE)
def notified(item: WorkItem, people: QuerySet[Person]) -> Report:
    """Node-wide: done once a closed round's notice is published."""
    published = Notice.objects.filter(
        round__campaign_id=item.stage.campaign_id, round__status=EvaluationRound.Status.CLOSED
    ).exists()
    return Report(done={NODE}) if published else Report()
