from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "reports.summary_saved": _("保存阶段总结"),
    "reports.summary_final": _("阶段总结定稿"),
    "reports.reminded_overdue": _("提醒逾期人员"),
}
