from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "meetings.planned": _("计划生活会"),
    "meetings.updated": _("修改生活会计划"),
    "meetings.attendance_recorded": _("记录生活会出席情况"),
    "meetings.member_recorded": _("记录生活会发言"),
    "meetings.commitment_rectified": _("整改承诺转为整改事项"),
    "meetings.criticism_rectified": _("批评意见转为整改事项"),
}
