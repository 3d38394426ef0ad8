"""The notices the reports app sends (pingyi.core.notifications)."""

from django.utils.translation import gettext_lazy as _

from pingyi.core.notifications import register_kind

register_kind("reports.overdue", _("逾期事项提醒"))
