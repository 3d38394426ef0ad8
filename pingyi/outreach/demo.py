"""Demo outreach in the demo branch: the stage-1 study plan most members have read, books handed out, calls
and posted materials to the retired and away members, two liaison points with visits, and the 12 good deeds
the source reports for the first stage. Photos stay off (the default)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from pingyi.campaigns.models import Campaign
from pingyi.core.hooks import DEMO, DEMO_ACTOR
from pingyi.org.models import OrgUnit, Person

from . import services
from .models import StudyPlan

READINGS = "《保持共产党员先进性教育读本》\n《江泽民论加强和改进执政党建设》（节选）\n《党章》"
DEEDS = [
    ("帮东垅村修复灌溉水渠", "东垅村村民"),
    ("为东垅村困难户送去米、油和慰问金", "东垅村困难户"),
    ("上门为行动不便的退休职工办理养老金资格认证", "退休职工"),
    ("在村里举办就业政策宣讲，登记求职意向", "东垅村富余劳动力"),
    ("帮助返乡农民工联系技能培训班", "返乡农民工"),
    ("为村小学捐赠图书两百册", "东垅村小学"),
    ("协调解决一家企业拖欠的农民工工资", "农民工"),
    ("为村民代办医保参保登记", "东垅村村民"),
    ("帮助残疾人家庭申请就业援助", "残疾人家庭"),
    ("修缮村活动室的桌椅和照明", "东垅村党支部"),
    ("为失业人员举办创业贷款政策咨询", "失业人员"),
    ("为孤寡老人春节前打扫房屋、贴春联", "孤寡老人"),
]


def seed(nodes: dict[str, OrgUnit], people: dict[str, Person]) -> None:
    branch = nodes["branch"]
    campaign = Campaign.objects.filter(org=branch, is_demo=True).first()
    if campaign is None or StudyPlan.objects.filter(campaign=campaign).exists():
        return
    by_name = {p.name: p for p in Person.objects.members().in_subtree(branch)}
    today = timezone.localdate()
    stage = campaign.stages.get(order=1)
    plan = services.issue_plan(
        stage=stage,
        title=f"第一阶段学习计划{DEMO}",
        body="每周五下午集中学习半天；各党小组每两周交流一次自学情况；春节期间完成必读篇目。",
        readings=READINGS,
        readings_due_on=stage.ends_on,
        by=DEMO_ACTOR,
        is_demo=True,
    )
    readers = [p for p in by_name.values() if p.status == "serving"][:20]
    for person in readers:
        services.confirm_plan_read(plan=plan, person=person, by=DEMO_ACTOR)
    issued_on = max(stage.starts_on, today - timedelta(days=20))
    services.record_material(
        org=branch, title=f"《保持共产党员先进性教育读本》{DEMO}", issued_on=issued_on,
        not_received=[by_name["冯志刚"]], note="冯志刚在外地，已邮寄", by=DEMO_ACTOR, is_demo=True,
    )  # fmt: skip
    calls = [
        ("谢国庆", "phone", 15, "已转告学习安排，本人在家自学读本", True),
        ("韩桂兰", "posted", 14, "已邮寄读本和学习计划", False),
        ("唐振华", "visit", 12, "上门看望，身体不便，不作硬性要求，读本已送到", False),
        ("冯志刚", "schedule", 10, "已把学习安排发给本人，在外地参加当地学习", True),
        ("冯志刚", "phone", 3, "电话了解学习进度，已读完两篇", True),
    ]
    for name, kind, days, result, remote in calls:
        services.record_contact(
            person=by_name[name], kind=kind, contacted_on=today - timedelta(days=days), contacted_by="林志明",
            result=result, remote=remote, by=DEMO_ACTOR, is_demo=True,
        )  # fmt: skip
    leaders = [p for name in ("林志明", "张建国") if (p := by_name.get(name))]
    village = services.add_point(
        org=branch, name=f"东垅村{DEMO}", kind="village", leaders=leaders, by=DEMO_ACTOR, is_demo=True
    )
    point = services.add_point(
        org=branch, name=f"社区劳动保障服务站{DEMO}", kind="point", leaders=leaders[:1], by=DEMO_ACTOR, is_demo=True
    )
    services.record_visit(
        point=village, kind="party_day", held_on=today - timedelta(days=8), people=leaders + readers[:6],
        note="在村里重温入党誓词，听取村民意见", by=DEMO_ACTOR, is_demo=True,
    )  # fmt: skip
    services.record_visit(
        point=point, kind="visit", held_on=today - timedelta(days=4), people=leaders[:1] + readers[6:8],
        note="了解就业服务需求", by=DEMO_ACTOR, is_demo=True,
    )  # fmt: skip
    for n, (what, beneficiary) in enumerate(DEEDS):
        services.record_good_deed(
            org=branch, done_on=max(stage.starts_on, today - timedelta(days=30 - 2 * n)), what=f"{what}{DEMO}",
            beneficiary=beneficiary, doers=[readers[n % len(readers)], *leaders[:1]], point=village if n < 6 else None,
            by=DEMO_ACTOR, is_demo=True,
        )  # fmt: skip
