from django.utils.translation import gettext_lazy as _

LABELS = {
    "privacy.person_exported": _("导出个人信息"),
    "privacy.person_anonymised": _("个人信息匿名化"),
    "privacy.retention_applied": _("按保存期限清除个人信息"),
}
