from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "opinions.recorded": _("录入意见"),
    "opinions.submitted": _("网上提交意见"),
    "opinions.round_created": _("新建征求意见"),
    "opinions.round_updated": _("修改征求意见"),
    "opinions.invitees_added": _("添加征求对象"),
    "opinions.invitee_removed": _("删除征求对象"),
    "opinions.code_issued": _("生成邀请码"),
    "opinions.codes_revoked": _("作废邀请码"),
    "opinions.letters_started": _("生成征求意见函"),
    "opinions.categorised": _("意见分类"),
    "opinions.declined": _("不予采纳意见并说明理由"),
    "opinions.answered": _("答复意见"),
    "opinions.merged": _("合并重复意见"),
    "opinions.rectification_created": _("意见转为整改事项"),
    "opinions.symposium_recorded": _("记录座谈会"),
    "opinions.symposium_updated": _("修改座谈会记录"),
    "opinions.visit_recorded": _("记录走访"),
}
