from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalksConfig(AppConfig):
    name = "pingyi.talks"
    label = "talks"
    verbose_name = _("谈心谈话")
