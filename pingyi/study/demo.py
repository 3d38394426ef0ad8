"""Demo stage 1 of the demo branch's campaign: 12 sessions with registers (the away members miss some, a
retired member follows one remotely, absentees made up), one a party lecture by the secretary."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from pingyi.campaigns.models import Campaign
from pingyi.core.hooks import DEMO
from pingyi.org.models import MemberStatus, OrgUnit, Person

from . import services
from .models import Activity, ActivityKind, Confirmation, Status
from .selectors import required_people

# (kind code, title)
SESSIONS = [
    ("study", "学习《保持共产党员先进性教育读本》（一）"),
    ("video", "观看电教片《信念》"),
    ("study", "学习党章总纲"),
    ("tutorial", "辅导讲座：新时期党员先进性的具体要求"),
    ("discussion", "专题讨论：结合本职工作谈先进性"),
    ("model_report", "先进事迹报告会"),
    ("study", "学习《保持共产党员先进性教育读本》（二）"),
    ("party_lecture", "党课：做群众满意的劳动保障工作者"),
    ("discussion", "专题讨论：查找服务群众中的差距"),
    ("study", "学习党员义务和权利"),
    ("sharing", "学习心得交流会"),
    ("study", "阶段学习小结"),
]


def seed(nodes: dict[str, OrgUnit], people: dict[str, Person]) -> None:
    branch = nodes["branch"]
    campaign = Campaign.objects.filter(org=branch, is_demo=True).first()
    if campaign is None or Activity.objects.filter(org=branch, is_demo=True).exists():
        return
    stage = campaign.stages.order_by("order").first()
    if stage is None:
        return
    secretary = get_user_model().objects.filter(username="secretary").first()
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    step = max((stage.ends_on - stage.starts_on).days // len(SESSIONS), 1)
    for n, (code, title) in enumerate(SESSIONS):
        day = stage.starts_on + timedelta(days=2 + n * step)
        start = timezone.make_aware(datetime.combine(day, time(15, 0)))
        lecturer = people.get("secretary") if code == "party_lecture" else None
        activity = services.schedule_activity(
            org=branch,
            plan=services.Plan(
                kind=kinds[code],
                title=f"{title}{DEMO}",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                place="局三楼会议室",
                organiser=people.get("secretary"),
                lecturer=lecturer,
                lecturer_name="" if lecturer else ("区委党校讲师" if kinds[code].needs_lecturer else ""),
                stage=stage,
            ),
            by=secretary,
            is_demo=True,
        )
        _register(activity, n, secretary)


def _register(activity: Activity, n: int, by: object) -> None:
    """Away members miss every other session (on leave) and make it up; one retired member follows remotely."""
    people = list(required_people(activity))
    for person in people:
        if person.status == MemberStatus.AWAY and n % 2:
            services.mark_attendance(activity=activity, person=person, status=Status.LEAVE, reason="在外地务工", by=by)
        elif person.status == MemberStatus.RETIRED and n == 3:
            services.mark_attendance(activity=activity, person=person, status=Status.REMOTE, by=by)
    services.mark_all_present(activity=activity, by=by)
    day = timezone.localtime(activity.starts_at).date() + timedelta(days=3)
    for row in activity.attendances.filter(status=Status.LEAVE).select_related("person"):
        if n < 9:  # the last sessions' make-ups are still to come
            services.record_makeup(
                attendance=row,
                what=f"自学{activity.title.removesuffix(DEMO)}的材料",
                studied_on=min(day, timezone.localdate()),
                confirmed_how=Confirmation.PHONE,
                by=by,
            )
