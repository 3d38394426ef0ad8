from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OriginalityConfig(AppConfig):
    name = "pingyi.originality"
    label = "originality"
    verbose_name = _("复制比检测")
