from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "evaluation.round_create": _("新建民主测评"),
    "evaluation.terms_update": _("修改测评规则"),
    "evaluation.round_open": _("开始民主测评"),
    "evaluation.round_close": _("结束民主测评"),
    "evaluation.self_assess": _("提交个人讲评"),
    "evaluation.vote": _("参加民主测评（只记录参加，不记录内容）"),
    "evaluation.codes_issue": _("生成群众测评码"),
    "evaluation.exclusion_request": _("申请不计入参评人数"),
    "evaluation.exclusion_decide": _("审批不计入参评人数"),
    "evaluation.paper_voted": _("登记纸质投票"),
    "evaluation.batch_create": _("新建纸质票批次"),
    "evaluation.batch_entry": _("录入纸质票"),
    "evaluation.batch_counted": _("纸质票核对一致并计入"),
    "evaluation.decide": _("形成评定意见"),
    "evaluation.decision_change": _("修改评定意见"),
    "evaluation.notice_publish": _("发布评议通报"),
    "evaluation.rules_update": _("修改测评规则"),  # entries written before the rename keep their action name
}
