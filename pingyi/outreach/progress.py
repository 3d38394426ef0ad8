"""Progress provider for a work item such as "学习计划人手一份": done = confirmed reading the stage's plan."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import Report, register_rule
from pingyi.org.models import Person

from .models import PlanRead, StudyPlan


@register_rule("outreach.plan_read", _("已阅本阶段学习计划"), url_name="outreach:campaign_plan")
def plan_read(item: WorkItem, people: QuerySet[Person]) -> Report:
    reads = PlanRead.objects.filter(plan__stage_id=item.stage_id, person__in=people)
    done_on = {r.person_id: timezone.localdate(r.read_at) for r in reads.only("person_id", "read_at")}
    issued = StudyPlan.objects.filter(stage_id=item.stage_id).exists()
    why = str(_("尚未确认已阅") if issued else _("学习计划尚未下发"))
    left = {pk: why for pk in people.values_list("pk", flat=True) if pk not in done_on}
    return Report(done=set(done_on), done_on=done_on, left=left)
