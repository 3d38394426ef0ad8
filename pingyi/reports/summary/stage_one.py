"""The study stage's builders (学习动员): activities and person-times, outreach and good deeds, the test.

Each reads its app's `stage_statistics(campaign, stage)`, the same figures as that app's statistics page,
so the summary and the pages never disagree.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Campaign, Stage
from pingyi.exams import selectors as exams
from pingyi.outreach import selectors as outreach
from pingyi.study import selectors as study

from .figures import MISSING, Figure, Section, Sentence, apps_of, n, said


def study_section(campaign: Campaign, stage: Stage) -> Section | None:
    if "study" not in apps_of(stage):
        return None
    stats = study.stage_statistics(campaign, stage)
    url = reverse("study:stage", kwargs={"stage_id": stage.pk})
    if not stats.activities:
        return Section("study", _("学习活动"), [said(_("本阶段的学习活动：{0}。"), Figure(MISSING))])
    kinds = "、".join(_("%(kind)s %(n)d 次") % {"kind": name, "n": count} for name, count in stats.activities_by_kind)
    sentences = [
        said(
            _("本阶段共组织集中学习 {0} 次，各类学习活动 {1} 次（{2}），参学 {3} 人次。"),
            n(stats.sessions, url),
            n(stats.activities, url),
            Figure(kinds, url),
            n(stats.person_times, url),
        )
    ]
    if stats.lectures:
        lecturers = "、".join(sorted({a.lecturer_label for a in stats.lectures if a.lecturer_label}))
        sentences.append(
            said(_("讲党课、作辅导 {0} 次（{1}）。"), n(len(stats.lectures), url), Figure(lecturers or MISSING, url))
        )
    if stats.absentees:
        sentences.append(
            said(
                _("缺课 {0} 人次，已补学 {1} 人次，尚未补学 {2} 人次。"),
                n(len(stats.absentees), url),
                n(stats.made_up, url),
                n(stats.not_made_up, url),
            )
        )
    return Section("study", _("学习活动"), sentences)


def outreach_section(campaign: Campaign, stage: Stage) -> Section | None:
    if "study" not in apps_of(stage) and "outreach" not in apps_of(stage):
        return None
    stats = outreach.stage_statistics(campaign, stage)
    code = campaign.org.code
    sentences: list[Sentence] = []
    plan_url = reverse("outreach:plan", kwargs={"campaign_id": campaign.pk, "stage_order": stage.order})
    if stats.plan_issued:
        sentences.append(said(_("学习计划已发到每名党员，{0} 人确认已阅。"), n(stats.plan_read, plan_url)))
    else:
        sentences.append(said(_("学习计划的发放：{0}。"), Figure(MISSING, plan_url)))
    if stats.materials_issued:
        url = reverse("outreach:materials", kwargs={"org_code": code})
        sentences.append(
            said(_("发放学习书目和材料 {0} 种、{1} 份。"), n(stats.materials_issued, url), n(stats.handouts, url))
        )
    url = reverse("outreach:contacts", kwargs={"org_code": code})
    if stats.away_or_retired:
        sentences.append(
            said(
                _("外出、离退休党员 {0} 名，已联系 {1} 名（共联系 {2} 次），其中 {3} 名以远程方式参加学习。"),
                n(stats.away_or_retired, url),
                n(stats.contacted, url),
                n(stats.contacts, url),
                n(stats.remote, url),
            )
        )
    deeds = reverse("outreach:deeds", kwargs={"org_code": code})
    liaison = reverse("outreach:liaison", kwargs={"org_code": code})
    if stats.good_deeds:
        sentences.append(said(_("为群众办实事 {0} 件。"), n(stats.good_deeds, deeds)))
    else:
        sentences.append(said(_("为群众办实事：{0}。"), Figure(MISSING, deeds)))
    if stats.liaison_visits:
        sentences.append(said(_("到挂钩联系点走访 {0} 次。"), n(stats.liaison_visits, liaison)))
    else:
        sentences.append(said(_("到挂钩联系点走访：{0}。"), Figure(MISSING, liaison)))
    return Section("outreach", _("联系群众和外出、离退休党员"), sentences)


def exams_section(campaign: Campaign, stage: Stage) -> Section | None:
    if "exams" not in apps_of(stage):
        return None
    stats = exams.stage_statistics(campaign, stage)
    url = reverse("exams:campaign", kwargs={"campaign_id": campaign.pk})
    if not stats.sittings:
        return Section("exams", _("百题测试"), [said(_("百题测试：{0}。"), Figure(MISSING, url))])
    total = stats.expected + len(stats.excused)
    sentences = [said(_("应参加测试 {0} 人，实际参加 {1} 人。"), n(total, url), n(stats.sat, url))]
    missing = list(stats.excused) + list(stats.absent)
    if missing:
        reasons = "；".join(f"{a.name}（{a.reason or MISSING}）" for a in missing)
        sentences.append(said(_("{0} 人未参加：{1}。"), n(len(missing), url), Figure(reasons, url)))
    if stats.average is not None:
        sentences.append(said(_("平均得分 {0} 分。"), Figure(f"{stats.average:.1f}", url)))
    return Section("exams", _("百题测试"), sentences)
