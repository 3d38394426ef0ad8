from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "talks.recorded": _("记录谈心谈话"),
    "talks.requirement_added": _("添加谈话规则"),
    "talks.requirement_removed": _("删除谈话规则"),
    # Entries written before the rename keep their action names.
    "talks.rule_added": _("添加谈话规则"),
    "talks.rule_removed": _("删除谈话规则"),
}
