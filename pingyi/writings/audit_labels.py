from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "writing.start": _("开始撰写文稿"),
    "writing.upload": _("上传文稿文件"),
    "writing.submit": _("提交文稿"),
    "writing.return": _("退回文稿"),
    "writing.accept": _("审阅通过文稿"),
}
