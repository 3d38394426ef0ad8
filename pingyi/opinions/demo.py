"""A demo round for the demo branch: opinions through several channels, some already handled."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from pingyi.campaigns.models import Campaign
from pingyi.core.hooks import DEMO, DEMO_ACTOR
from pingyi.org.models import OrgUnit, Person, PersonKind

from . import services
from .keywords import suggest_category
from .models import Channel, OpinionRound

ONLINE = [
    ("办理失业登记要交的证明材料太多，能不能精简？", "procedure", "public"),
    ("社保窗口中午不办事，上班族只能请假来办。", "bureau_work", "public"),
]
PAPER = [
    ("希望劳动保障站把政策宣传资料送到村里。", "bureau_work"),
    ("个别工作人员接电话态度生硬。", "people"),
]
LETTERS = {"城关鞋业有限公司": "招工备案要跑三个窗口，希望一窗办结。"}
SYMPOSIUM = ["再就业培训的工种要贴近企业需要", "欠薪投诉的处理结果希望及时答复"]
VISIT = ["希望局领导多到村里走走"]


def seed(nodes: dict[str, OrgUnit], people: dict[str, Person]) -> None:
    branch = nodes["branch"]
    if OpinionRound.objects.filter(org=branch, is_demo=True).exists():
        return
    campaign = Campaign.objects.filter(org=branch, is_demo=True).first()
    today = timezone.localdate()
    round_ = services.create_round(
        org=branch,
        campaign=campaign,
        title=f"向服务对象和用人单位征求意见{DEMO}",
        intro="请对局机关党支部、党员干部和我局的工作提出意见和建议。",
        audiences=["employer", "agency", "public"],
        topics=["campaign", "bureau_work", "procedure", "people"],
        closes_on=today + timedelta(days=20),
        by=DEMO_ACTOR,
        is_demo=True,
    )
    contacts = Person.objects.in_subtree(nodes["bureau"]).filter(kind=PersonKind.CONTACT).exclude(affiliation="")
    services.add_invitees(round=round_, entries=services.invitee_entries(contacts=contacts), by=DEMO_ACTOR)

    for text, topic, group in ONLINE:
        services.record_opinion(
            round=round_,
            channel=Channel.ONLINE,
            text=text,
            topic=topic,
            source_group=group,
            by=DEMO_ACTOR,
            is_demo=True,
        )
    for text, topic in PAPER:
        services.record_opinion(
            round=round_, channel=Channel.PAPER, text=text, topic=topic, by=DEMO_ACTOR, is_demo=True
        )
    for name, text in LETTERS.items():
        invitee = round_.invitees.filter(name=name).first()
        services.record_opinion(
            round=round_,
            channel=Channel.LETTER,
            text=text,
            invitee=invitee,
            source_name=name,
            source_group="employer",
            by=DEMO_ACTOR,
            is_demo=True,
        )
    leader = people.get("leader")
    services.record_symposium(
        round=round_,
        title=f"用人单位座谈会{DEMO}",
        held_on=today - timedelta(days=3),
        place="局三楼会议室",
        hosts=[leader] if leader else [],
        attendees="城关鞋业有限公司 许经理\n工业园区服务中心 邓主任",
        minutes="局长主持，通报先进性教育活动开展情况，听取企业意见。",
        opinions="\n".join(SYMPOSIUM),
        by=DEMO_ACTOR,
    )
    secretary = people.get("secretary")
    services.record_visit(
        round=round_,
        visited="东垅村村委会",
        visited_on=today - timedelta(days=1),
        visitors=[secretary] if secretary else [],
        notes="走访结对村，了解村民对劳动保障工作的意见。",
        opinions="\n".join(VISIT),
        source_group="public",
        by=DEMO_ACTOR,
    )
    round_.opinions.update(is_demo=True)
    first = round_.opinions.order_by("id").first()
    if first is not None:
        services.categorise_opinion(
            opinion=first, category=suggest_category(first.text), topic=first.topic, by=DEMO_ACTOR
        )
        services.answer_opinion(opinion=first, answer="已将证明材料由六项精简为三项，下月起执行。", by=DEMO_ACTOR)
