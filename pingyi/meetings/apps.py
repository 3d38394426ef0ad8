from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "pingyi.meetings"
    label = "meetings"
    verbose_name = _("组织生活会")
