"""The shipped activity kinds (DOMAIN.md, stage 1 and the branch routine), loaded by migration 0002.

Each: code, name, counts towards study hours, its 三会一课 slot, needs a lecturer, the work-item rules it counts for.
"""

from typing import Any

from django.utils.translation import gettext_noop

ATTEND = "study.attendance"
LECTURE = "study.lecture_given"

KINDS = [
    ("study", gettext_noop("集中学习"), True, "", False, [ATTEND]),
    ("discussion", gettext_noop("专题讨论"), True, "", False, [ATTEND]),
    ("sharing", gettext_noop("心得交流会"), True, "", False, [ATTEND]),
    ("video", gettext_noop("观看电教片"), True, "", False, [ATTEND]),
    ("model_report", gettext_noop("先进事迹报告会"), True, "", False, [ATTEND]),
    ("tutorial", gettext_noop("辅导讲座"), True, "", True, [ATTEND, LECTURE]),
    ("party_lecture", gettext_noop("党课"), True, "party_lecture", True, [ATTEND, LECTURE]),
    ("theme_day", gettext_noop("主题党日"), True, "theme_day", False, [ATTEND]),
    ("members_meeting", gettext_noop("党员大会"), True, "members_meeting", False, []),
    ("committee_meeting", gettext_noop("支委会"), False, "committee_meeting", False, []),
    ("group_meeting", gettext_noop("党小组会"), True, "group_meeting", False, []),
    ("self_study", gettext_noop("自学"), True, "", False, []),
]


# The shipped names by code: the rows keep the Chinese name (what a branch may rename in the admin); another
# language shows the shipped kind's name translated (gettext_noop above puts them in the study catalogue).
LABELS = {code: name for code, name, *_rest in KINDS}


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
