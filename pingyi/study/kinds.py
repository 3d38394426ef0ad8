"""The shipped activity kinds (DOMAIN.md, stage 1 and the branch routine), loaded by migration 0002.

Each: code, name, counts towards study hours, its 三会一课 slot, needs a lecturer, the work-item rules it counts for.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

ATTEND = "study.attendance"
LECTURE = "study.lecture_given"

KINDS = [
    ("study", "集中学习", True, "", False, [ATTEND]),
    ("discussion", "专题讨论", True, "", False, [ATTEND]),
    ("sharing", "心得交流会", True, "", False, [ATTEND]),
    ("video", "观看电教片", True, "", False, [ATTEND]),
    ("model_report", "先进事迹报告会", True, "", False, [ATTEND]),
    ("tutorial", "辅导讲座", True, "", True, [ATTEND, LECTURE]),
    ("party_lecture", "党课", True, "party_lecture", True, [ATTEND, LECTURE]),
    ("theme_day", "主题党日", True, "theme_day", False, [ATTEND]),
    ("members_meeting", "党员大会", True, "members_meeting", False, []),
    ("committee_meeting", "支委会", False, "committee_meeting", False, []),
    ("group_meeting", "党小组会", True, "group_meeting", False, []),
    ("self_study", "自学", True, "", False, []),
]


# The shipped kinds' names for the UI, keyed by code: the rows keep the Chinese name (what a branch may rename in
# the admin); another language shows these, translated in the study catalogue.
LABELS = {
    "study": _("集中学习"),
    "discussion": _("专题讨论"),
    "sharing": _("心得交流会"),
    "video": _("观看电教片"),
    "model_report": _("先进事迹报告会"),
    "tutorial": _("辅导讲座"),
    "party_lecture": _("党课"),
    "theme_day": _("主题党日"),
    "members_meeting": _("党员大会"),
    "committee_meeting": _("支委会"),
    "group_meeting": _("党小组会"),
    "self_study": _("自学"),
}


def load(kind_model: Any) -> None:
    for order, (code, name, hours, slot, lecturer, rules) in enumerate(KINDS, start=1):
        kind_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "order": order,
                "counts_study_hours": hours,
                "routine_slot": slot,
                "needs_lecturer": lecturer,
                "rules": rules,
            },
        )
