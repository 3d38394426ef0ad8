"""How audit actions read on the page. Unknown actions show their code.

Each app may add its own in `pingyi/<app>/audit_labels.py` (a `LABELS` dict of the same shape,
an app hook of docs/apps.md); `all_labels()` merges them.
"""

from functools import cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .hooks import app_modules

LABELS: dict[str, Promise] = {
    "org.create": _("新建组织"),
    "org.rename": _("组织更名"),
    "org.move": _("调整组织隶属"),
    "person.create": _("添加人员"),
    "person.create_many": _("批量添加人员"),
    "person.update": _("修改人员信息"),
    "person.posts": _("调整职务"),
    "person.account": _("开通账号"),
    "person.password_reset": _("重置密码"),
    "person.account_disable": _("停用账号"),
    "auth.locked_out": _("登录失败过多，暂停登录"),
    "auth.password_changed": _("修改自己的密码"),
    "auth.otp_enabled": _("开启两步验证"),
    "auth.otp_disabled": _("关闭两步验证"),
    "role.grant": _("授予角色"),
    "role.revoke": _("撤销角色"),
    "roster.import": _("导入名册"),
    "roster.columns": _("确认名册的列"),
    "roster.purged": _("按保存期限删除名册文件"),
    "campaign.create": _("开展活动"),
    "campaign.lookback.check": _("勾选回头看检查项"),
    "campaign.lookback.uncheck": _("取消勾选回头看检查项"),
    "campaign.stage.sign_off": _("阶段签字确认"),
    "campaign.stage.review": _("督导评价"),
    "campaign.excuse": _("登记不作要求"),
    "campaign.excuse_withdraw": _("撤销不作要求"),
    "notice.mute": _("设置不接收的通知"),
    "api.token_create": _("创建接口令牌"),
    "api.token_revoke": _("撤销接口令牌"),
}


@cache
def all_labels() -> dict[str, Promise]:
    merged = dict(LABELS)
    for module in app_modules("audit_labels"):
        merged.update(module.LABELS)
    return merged


def label(action: str) -> str:
    return str(all_labels().get(action, action))
