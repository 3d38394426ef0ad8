"""One builder per kind of work, each reading its app's records for a stage of a campaign.

A builder returns None when the stage has no work of its kind. Figures are counts of records and link to
the page listing them; where the record is silent, the sentence says 【待补充】.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Campaign, Stage, WorkItem
from pingyi.campaigns.progress import PeopleIndex, get_rule, item_progress
from pingyi.evaluation.models import EvaluationRound
from pingyi.evaluation.selectors import notice_counts, participation
from pingyi.feedback.selectors import roster
from pingyi.meetings.models import Attendee, LifeMeeting
from pingyi.opinions.models import Opinion
from pingyi.opinions.selectors import campaign_rounds, opinion_stats, untraced
from pingyi.originality.selectors import latest_verdicts
from pingyi.rectification.selectors import counts as rectification_counts
from pingyi.rectification.selectors import items_of_campaign
from pingyi.talks.models import Talk
from pingyi.talks.selectors import coverage_for
from pingyi.writings.models import Writing, WritingVersion

from .figures import MISSING, Figure, Section, Sentence, apps_of, n, said
from .stage_one import exams_section, outreach_section, study_section

Builder = Callable[[Campaign, Stage], "Section | None"]


def _url(name: str, campaign: Campaign, query: str = "") -> str:
    return reverse(name, kwargs={"campaign_id": campaign.pk}) + query


def progress(campaign: Campaign, stage: Stage) -> Section:
    """Each required work item: how many did it, of how many, and who is overdue."""
    url = _url("reports:progress", campaign, f"?stage={stage.order}")
    index = PeopleIndex([campaign.org])
    sentences = []
    for item in stage.work_items.all():
        if not item.required:
            continue
        p = item_progress(item, campaign.org, index)
        if not p.tracked:
            sentences.append(
                said(_("“%(item)s”在线下完成，系统没有记录：{0}。") % {"item": item.name}, Figure(MISSING))
            )
        elif not item.per_person:
            done = _("已完成") if p.complete else _("尚未完成")
            sentences.append(said(_("“%(item)s”{0}。") % {"item": item.name}, Figure(done, url)))
        else:
            names = {"item": item.name}
            if p.excused:
                pattern = _("“%(item)s”应完成 {0} 人，已完成 {1} 人，{2} 人经说明原因不作要求。") % names
                sentences.append(said(pattern, n(p.expected_count, url), n(p.done, url), n(len(p.excused), url)))
            else:
                pattern = _("“%(item)s”应完成 {0} 人，已完成 {1} 人。") % names
                sentences.append(said(pattern, n(p.expected_count, url), n(p.done, url)))
    return Section("progress", _("各项工作完成情况"), sentences)


def writings(campaign: Campaign, stage: Stage) -> Section | None:
    items = [i for i in stage.work_items.all() if i.rule.startswith("writings.")]
    if not items:
        return None
    url = _url("writings:campaign", campaign)
    sentences = []
    for item in items:
        pieces = Writing.objects.filter(work_item=item).exclude(status=Writing.Status.DRAFT)
        counts = pieces.aggregate(
            all=Count("pk"),
            accepted=Count("pk", filter=Q(status=Writing.Status.ACCEPTED)),
            returned=Count("pk", filter=Q(reviews__decision="returned"), distinct=True),
        )
        sentences.append(
            said(
                _("“%(item)s”共提交 {0} 篇，经审阅通过 {1} 篇，退回修改 {2} 篇。") % {"item": item.name},
                n(counts["all"], url),
                n(counts["accepted"], url),
                n(counts["returned"], url),
            )
        )
        copied = copied_pieces(item)
        if copied:
            sentences.append(said(_("经复制比检测，{0} 篇抄摘网上内容超标，已退回重写。"), n(copied, url)))
    return Section("writings", _("学习心得和党性分析"), sentences)


def copied_pieces(item: WorkItem) -> int:
    """Pieces of the item any of whose versions the copy check marked red (复制比超标)."""
    versions = list(WritingVersion.objects.filter(writing__work_item=item).values_list("pk", "writing_id"))
    verdicts = latest_verdicts("writing", [pk for pk, _w in versions])
    return len({writing for pk, writing in versions if verdicts.get(pk) == "red"})


def opinions(campaign: Campaign, stage: Stage) -> Section | None:
    if "opinions" not in apps_of(stage):
        return None
    url = _url("opinions:campaign", campaign)
    found = Opinion.objects.filter(round__in=campaign_rounds(campaign))
    stats = opinion_stats(found)
    if not stats.total:
        return Section("opinions", _("征求意见"), [said(_("征求意见情况：{0}。"), Figure(MISSING))])
    channels = "、".join(_("%(label)s %(n)d 条") % {"label": label, "n": count} for label, count in stats.by_channel)
    answered = found.filter(status__in=["answered", "declined"]).count()
    sentences = [
        said(
            _("共征求到意见 {0} 条（{1}），重复的 {2} 条已合并。"),
            n(stats.total, url),
            Figure(channels, url),
            n(stats.merged, url),
        ),
        said(
            _("已答复 {0} 条，转为整改事项 {1} 条，尚未处理 {2} 条。"),
            n(answered, url),
            n(stats.rectified, url),
            n(untraced(campaign).count(), url),
        ),
    ]
    return Section("opinions", _("征求意见"), sentences)


def talks(campaign: Campaign, stage: Stage) -> Section | None:
    if "talks" not in apps_of(stage):
        return None
    url = _url("talks:campaign", campaign)
    held = Talk.objects.filter(campaign=campaign).count()
    cov = coverage_for(campaign)
    return Section(
        "talks",
        _("谈心谈话"),
        [
            said(
                _("开展谈心谈话 {0} 次，应谈 {1} 对，已谈 {2} 对。"),
                n(held, url),
                n(cov.required_count, url),
                n(cov.done_count, url),
            )
        ],
    )


def meetings(campaign: Campaign, stage: Stage) -> Section | None:
    if "meetings" not in apps_of(stage):
        return None
    url = _url("meetings:campaign", campaign)
    sentences = []
    for meeting in LifeMeeting.objects.filter(campaign=campaign, status=LifeMeeting.Status.HELD).order_by("held_on"):
        present = Attendee.objects.filter(meeting=meeting, present=True).count()
        expected = Attendee.objects.filter(meeting=meeting).count()
        sentences.append(
            said(
                _("%(date)s召开%(kind)s，应到 {0} 人，实到 {1} 人。")
                % {"date": date_format(meeting.held_on), "kind": meeting.get_kind_display()},
                n(expected, url),
                n(present, url),
            )
        )
    return Section("meetings", _("组织生活会"), sentences or [said(_("生活会：{0}。"), Figure(MISSING))])


def evaluation(campaign: Campaign, stage: Stage) -> Section | None:
    if "evaluation" not in apps_of(stage) and "feedback" not in apps_of(stage):
        return None
    url = _url("evaluation:campaign", campaign)
    sentences = []
    for round in EvaluationRound.objects.filter(campaign=campaign).order_by("created_at"):
        p = participation(round)
        sentences.append(
            said(
                _("民主测评应参评 {0} 人，实际参评 {1} 人，参评率 {2}%。"),
                n(p.expected, url),
                n(p.voted, url),
                n(p.percent, url),
            )
        )
        if round.status == EvaluationRound.Status.CLOSED:
            grades = notice_counts(round).get("grades", [])
            if grades:
                listed = "、".join(_("%(label)s %(n)d 名") % {"label": label, "n": count} for label, count in grades)
                sentences.append(said(_("评定等次：{0}。"), Figure(listed, url)))
    if "feedback" in apps_of(stage):
        rows = roster(campaign)
        furl = _url("feedback:campaign", campaign)
        delivered = rows.count_sent + rows.count_acknowledged
        sentences.append(
            said(_("书面反馈送达 {0} 人，本人已确认 {1} 人。"), n(delivered, furl), n(rows.count_acknowledged, furl))
        )
    return Section("evaluation", _("民主评议和反馈"), sentences or [said(_("民主评议：{0}。"), Figure(MISSING))])


def rectification(campaign: Campaign, stage: Stage) -> Section | None:
    if "rectification" not in apps_of(stage) and stage.code != "evaluation":
        return None
    url = _url("rectification:campaign", campaign)
    c = rectification_counts(items_of_campaign(campaign))
    return Section(
        "rectification",
        _("边议边改和整改落实"),
        [
            said(
                _("列入整改清单 {0} 项，已核实销号 {1} 项，逾期未完成 {2} 项。"),
                n(c.total, url),
                n(c.verified, url),
                n(c.overdue, url),
            )
        ],
    )


def shortcomings(campaign: Campaign, stage: Stage) -> Section:
    """What the record shows is still wrong: overdue work, pieces returned for copying, opinions without an outcome."""
    index = PeopleIndex([campaign.org])
    url = _url("reports:progress", campaign, f"?stage={stage.order}")
    sentences: list[Sentence] = []
    for item in stage.work_items.all():
        if get_rule(item.rule) is None:
            continue
        p = item_progress(item, campaign.org, index)
        if p.overdue and item.per_person:
            names = "、".join(r.name for r in p.overdue[:10]) + ("等" if len(p.overdue) > 10 else "")
            sentences.append(
                said(
                    _("“%(item)s”还有 {0} 人逾期未完成（{1}）。") % {"item": item.name},
                    n(len(p.overdue), url),
                    Figure(names, url),
                )
            )
        elif p.overdue:
            sentences.append(said(_("“%(item)s”逾期未完成。") % {"item": item.name}))
    copied = sum(copied_pieces(i) for i in stage.work_items.all() if i.rule.startswith("writings."))
    if copied:
        sentences.append(said(_("有 {0} 篇文稿抄摘网上内容。"), n(copied, _url("writings:campaign", campaign))))
    waiting = untraced(campaign).count() if "opinions" in apps_of(stage) else 0
    if waiting:
        sentences.append(said(_("有 {0} 条意见尚未答复或处理。"), n(waiting, _url("opinions:campaign", campaign))))
    sentences.append(said(_("其他不足：{0}。"), Figure(MISSING)))
    return Section("shortcomings", _("存在的不足"), sentences)


BUILDERS: list[Builder] = [
    study_section,
    outreach_section,
    exams_section,
    writings,
    opinions,
    talks,
    meetings,
    evaluation,
    rectification,
]


def build(campaign: Campaign, stage: Stage) -> list[Section]:
    found: list[Any] = [progress(campaign, stage)]
    found += [section for builder in BUILDERS if (section := builder(campaign, stage)) is not None]
    found.append(shortcomings(campaign, stage))
    return found
