from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "rectification.created": _("新建整改事项"),
    "rectification.updated": _("修改整改事项"),
    "rectification.reported": _("报告整改完成"),
    "rectification.verified": _("核实整改事项"),
    "rectification.returned": _("退回整改事项"),
    "rectification.published": _("公开整改事项"),
    "rectification.unpublished": _("撤下公开的整改事项"),
    "rectification.settings": _("修改整改设置"),
    "rectification.check_created": _("开展四个查一查"),
    "rectification.check_entry": _("记录四个查一查检查项"),
    "rectification.check_published": _("公开服务承诺"),
}
