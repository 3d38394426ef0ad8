from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "outreach.settings": _("修改联系群众设置"),
    "outreach.plan_issued": _("下发学习计划"),
    "outreach.plan_updated": _("修改学习计划"),
    "outreach.plan_read": _("确认已阅学习计划"),
    "outreach.material_issued": _("登记学习材料发放"),
    "outreach.contact_recorded": _("登记联系外出、离退休党员"),
    "outreach.point_added": _("新增挂钩联系点"),
    "outreach.visit_recorded": _("登记联系点活动"),
    "outreach.deed_recorded": _("登记为民办实事"),
}
