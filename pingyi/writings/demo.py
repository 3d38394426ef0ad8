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
        "今年春节前，一位在外地打工的老乡为了转移养老保险关系，前后跑了三趟，每次都缺一份材料。"
        "这件事让我很受触动：办事指南写得再全，群众看不明白也等于没写。"
        "今后我要把政策解释得更耐心一些，把办理时限压得更短一些；"
        "对常见的十几类业务，整理一张一次告知清单，放在窗口，也发到村里；"
        "对行动不便的老人和残疾人，主动上门办理。用群众的满意来检验自己的先进性。",
    ),
    "committee": (
        "做好组织工作的几点体会",
        "作为组织委员，我负责本支部的学习考勤。这次学习中，我逐一给退休和外出党员打电话、寄材料，"
        "体会到组织工作重在细致：一个人也不能落下。有一位外出党员在深圳务工，我把学习材料和学习安排寄过去，"
        "又约好每两周通一次电话，听他谈学习体会，他说这是离家以后第一次觉得支部还记得他。"
        "第二点体会是，考勤不是目的。缺课的同志，要弄清楚缺课的原因，是工作走不开还是思想上不重视，"
        "分别对待，该补课的补课，该谈心的谈心。第三点体会是组织工作要靠制度。"
        "下一步要把学习记录整理好，为回头看打好基础，也要把这次联系外出党员的做法固定下来，形成长效机制。",
    ),
    "office": (
        "在保先办工作中受教育",
        "在保先办参与组织学习和督查，让我看到一些同志学习笔记抄得多、想得少。"
        "有的心得体会通篇是报纸上的原话，看不出本人在想什么；有的笔记本写得满满的，问起来却说不出一二。"
        "督查别人的同时，我也对照检查自己：自己写的材料是不是也有套话多、实话少的毛病？答案是有的。"
        "自己也要警惕这种倾向，带着问题学，联系就业服务中的实际困难去思考，学一点、用一点。"
        "比如下岗职工再就业培训，报名的人不少，结业后真正上岗的不多，原因在哪里，我们的服务还缺什么，"
        "这就是学习之后应当去回答的问题。今后督查学习，要多看学了以后做了什么，少看笔记抄了多少页。",
    ),
    "secretary": (
        "支部书记要带头学、带头改",
        "这次讲党课前，我反复读了党章的有关章节。讲课的过程也是自我检查的过程："
        "支部的学习有时流于形式，我作为书记负有责任。过去几年，支部学习多是念文件、读报纸，"
        "大家坐在一起，念完就散，很少讨论，更少联系本局的实际。这次学习动员以后，"
        "我们改为每次学习前先提出一两个问题，学习时围绕问题讨论，效果明显好了一些，但还很不够。"
        "作为书记，我要先把自己摆进去：在工作中有没有怕担责任、遇到难题绕着走的时候？有。"
        "下阶段要在分析评议中带头查摆问题，带头听取群众意见，带头整改，"
        "把群众反映最多的几件事列成清单，定人定时限，一件一件抓落实，让群众看到变化。",
    ),
    "retired": (
        "退休不褪色",
        "虽然退休多年，支部仍然把学习材料送到家里，我很受感动。学习了党章和有关文件，"
        "我觉得老党员退休了，身份没有退休，党员的责任也没有退休。我们小区里有不少老人领养老金、"
        "办医保遇到困难，不知道找谁，我以前在局里工作，了解一些政策，可以帮着问一问、跑一跑。"
        "身体还行，就多做一点；做不了大事，就做些力所能及的小事。小区的宣传栏，我也可以帮着把新出的政策抄上去，"
        "用大字写，老人们看得清楚，有看不懂的，我就一条一条讲给他们听。老党员要继续发挥作用，给年轻人做个样子，这是我学习以后最深的体会。",
    ),
}
RETURN_COMMENT = "请结合自己在社区的实际活动，具体谈谈退休党员如何发挥作用，写一两件做过的事。"
ANALYSIS = {
    "problems": "对照党章和党员标准，对照具体要求，对照先进典型，对照本职工作，我查摆出以下问题。"
    "一是理论学习抓得不够紧，以会代学的情况仍然存在。平时忙于事务，系统学习少，"
    "满足于开会时听一听、读文件时看一看，对新的政策法规钻研不深，遇到新情况新问题时办法不多。"
    "二是深入基层调研偏少，对就业困难群体的情况掌握不细。到挂钩联系点去得不多，去了也多是听汇报，"
    "和下岗职工、困难群众面对面交谈少，对他们最急最盼的事了解不够。"
    "三是抓落实的韧劲不足，有的工作部署多、督促少。一些工作开了会、发了文就认为完成了，"
    "跟踪问效不够，群众反映的个别问题拖了较长时间才解决。"
    "四是执行制度不够严格，对窗口工作人员服务态度方面的问题，批评教育多，按制度处理少。",
    "causes": "产生这些问题，根源在思想上。一是主观世界改造有所放松，"
    "认为自己长期从事劳动保障工作、情况熟悉，理论学习有没有都一样，放松了学习。"
    "二是宗旨意识在日常事务中有所淡化，习惯于坐在办公室里看材料、听汇报，"
    "对群众的疾苦感受不深，没有真正把群众满意作为工作的标准。"
    "三是工作作风不够扎实，满足于一般化，缺少一抓到底的韧劲。"
    "四是自我要求有所降低，用党员领导干部的标准衡量自己不够严格。",
    "measures": "针对以上问题，我的整改方向和措施是："
    "一是坚持每周学习制度，每月至少读一本理论书籍或政策汇编，结合工作写出学习笔记，"
    "在局务会上带头交流学习体会。"
    "二是每月至少到挂钩联系点调研一次，每次都要和困难群众面对面交谈，掌握第一手情况；"
    "每季度为困难群众办一件实事，年底向支部和群众报告办理情况。"
    "三是建立重点工作跟踪台账，做到件件有着落、事事有回音，"
    "群众反映的问题一般在十个工作日内答复。"
    "四是严格执行窗口服务制度，对服务态度问题按制度处理，接受服务对象的监督。"
    "五是自觉接受组织和群众监督，定期开展批评与自我批评。",
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
