"""The notices the outreach app sends (pingyi.core.notifications)."""

from django.utils.translation import gettext_lazy as _

from pingyi.core.notifications import register_kind

register_kind("outreach.plan_issued", _("学习计划下发"))
