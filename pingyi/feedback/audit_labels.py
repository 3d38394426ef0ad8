from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "feedback.drafted": _("起草书面反馈"),
    "feedback.edited": _("修改书面反馈"),
    "feedback.sent": _("送达书面反馈"),
    "feedback.decision_refreshed": _("书面反馈改为支委会现在的评定"),
    "feedback.acknowledged": _("确认收到书面反馈"),
}
