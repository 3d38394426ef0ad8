"""Demo writings in the demo campaign, written and reviewed through the services.

Reflections (stage 1): some accepted, one returned with a comment, the away member's missing.
The bureau head's self-analysis (stage 2, open) awaits the branch and the supervision group.
Every title and text carries the demo marker.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.core.hooks import DEMO
from pingyi.org.models import OrgUnit, Person

from . import services
from .models import REFLECTION_RULE, SELF_ANALYSIS_RULE, Writing

REFLECTIONS = {
    "member": (
        "立足社保窗口，践行为民宗旨",
        "通过第一阶段的集中学习，我对党员先进性有了新的认识。过去我认为把窗口业务办对就是尽职，"
        "学习后才明白，群众来一次能办成、少跑一趟路，才是我们窗口党员该有的标准。"
        "今后我要把政策解释得更耐心一些，把办理时限压得更短一些。",
    ),
    "committee": (
        "做好组织工作的几点体会",
        "作为组织委员，我负责本支部的学习考勤。这次学习中，我逐一给退休和外出党员打电话、寄材料，"
        "体会到组织工作重在细致：一个人也不能落下。下一步要把学习记录整理好，为回头看打好基础。",
    ),
    "office": (
        "在保先办工作中受教育",
        "在保先办参与组织学习和督查，让我看到一些同志学习笔记抄得多、想得少。"
        "自己也要警惕这种倾向，带着问题学，联系就业服务中的实际困难去思考，学一点、用一点。",
    ),
    "secretary": (
        "支部书记要带头学、带头改",
        "这次讲党课前，我反复读了党章的有关章节。讲课的过程也是自我检查的过程："
        "支部的学习有时流于形式，我作为书记负有责任。下阶段要在分析评议中带头查摆问题，带头整改。",
    ),
    "retired": (
        "退休不褪色",
        "虽然退休多年，支部仍然把学习材料送到家里，我很受感动。学习心得只写几句：老党员要继续发挥作用。",
    ),
}
RETURN_COMMENT = "心得过于简短，请结合自己在社区的实际活动，具体谈谈退休党员如何发挥作用。"
ANALYSIS = {
    "problems": "一是理论学习抓得不够紧，以会代学的情况仍然存在；二是深入基层调研偏少，对就业困难群体的情况掌握不细；"
    "三是抓落实的韧劲不足，有的工作部署多、督促少。",
    "causes": "根源在于主观世界改造有所放松，认为自己长期从事劳动保障工作、情况熟悉，宗旨意识在日常事务中有所淡化。",
    "measures": "每月至少到挂钩联系点调研一次；每季度为困难群众办一件实事；建立重点工作跟踪台账，"
    "做到件件有着落、事事有回音。",
}


def seed(nodes: dict[str, OrgUnit], people: dict[str, Person]) -> None:
    campaign = Campaign.objects.filter(org=nodes["branch"], is_demo=True).first()
    if campaign is None or Writing.objects.filter(campaign=campaign, is_demo=True).exists():
        return
    users = get_user_model().objects
    secretary, supervisor = users.get(username="secretary"), users.get(username="supervisor")
    reflection = WorkItem.objects.select_related("stage__campaign").get(stage__campaign=campaign, rule=REFLECTION_RULE)
    for key, (title, text) in REFLECTIONS.items():
        author = people[key]
        writing = _submit(reflection, author, f"{title}{DEMO}", sections=None, text=f"{DEMO}{text}")
        # Nobody reviews their own piece: the secretary's goes to the supervision group.
        reviewer = supervisor if key == "secretary" else secretary
        if key == "retired":
            services.return_writing(writing=writing, by=reviewer, version_number=1, comment=RETURN_COMMENT)
        else:
            services.accept_writing(writing=writing, by=reviewer, version_number=1, comment="")
    analysis = WorkItem.objects.select_related("stage__campaign").get(stage__campaign=campaign, rule=SELF_ANALYSIS_RULE)
    sections = {key: f"{DEMO}{text}" for key, text in ANALYSIS.items()}
    _submit(analysis, people["leader"], f"个人党性分析材料{DEMO}", sections=sections, text="")


def _submit(item: WorkItem, author: Person, title: str, *, sections: dict[str, str] | None, text: str) -> Writing:
    user = author.user
    writing = services.start_writing(work_item=item, author=author, by=user, is_demo=True)
    comparisons = {key: {"checked": True, "note": f"{DEMO}已对照"} for key in services.COMPARISON_KEYS}
    services.save_draft(writing=writing, by=user, title=title, text=text, sections=sections, comparisons=comparisons)
    services.submit_writing(writing=writing, by=user)
    writing.refresh_from_db()
    return writing
