from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WritingsConfig(AppConfig):
    name = "pingyi.writings"
    label = "writings"
    verbose_name = _("学习心得与党性分析")
