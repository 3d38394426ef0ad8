from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "pingyi.outreach"
    label = "outreach"
    verbose_name = _("学习计划与联系群众")
