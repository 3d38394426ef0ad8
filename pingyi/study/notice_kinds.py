from django.utils.translation import gettext_lazy as _

from pingyi.core.notifications import register_kind

REMINDER = register_kind("study.reminder", _("学习活动提醒（活动前一天）")).code
