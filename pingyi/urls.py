from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.i18n import set_language

from pingyi.api.api import api, unknown_path
from pingyi.org import signin_views
from pingyi.org.forms import SignInForm

# Our own template names: the admin, listed first in INSTALLED_APPS, ships registration/password_change_form.html.
PASSWORD_CHANGE = [
    path("change/", signin_views.password_change, name="password_change"),
    path(
        "change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done_page.html"),
        name="password_change_done",
    ),
    path("two-factor/", signin_views.otp_setup, name="otp_setup"),
    path("two-factor/verify/", signin_views.otp_verify, name="otp_verify"),
    path("two-factor/disable/", signin_views.otp_disable, name="otp_disable"),
]

urlpatterns = [
    path("", include("pingyi.portal.urls")),
    path("org/", include("pingyi.org.urls")),
    path("campaigns/", include("pingyi.campaigns.urls")),
    re_path(r"^api/$", unknown_path),  # ahead of ninja's root marker, which would answer with Django's HTML 404
    path("api/", api.urls),
    re_path(r"^api/", unknown_path),
    path("writings/", include("pingyi.writings.urls")),
    path("originality/", include("pingyi.originality.urls")),
    path("opinions/", include("pingyi.opinions.urls")),
    path("talks/", include("pingyi.talks.urls")),
    path("meetings/", include("pingyi.meetings.urls")),
    path("evaluation/", include("pingyi.evaluation.urls")),
    path("rectification/", include("pingyi.rectification.urls")),
    path("feedback/", include("pingyi.feedback.urls")),
    path("study/", include("pingyi.study.urls")),
    path("exams/", include("pingyi.exams.urls")),
    path("outreach/", include("pingyi.outreach.urls")),
    path("reports/", include("pingyi.reports.urls")),
    path("privacy/", include("pingyi.privacy.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Namespaced so the URL matrix in docs/permissions.md can name them like every other page.
    path("accounts/password/", include((PASSWORD_CHANGE, "accounts"))),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on their own (downloads, bookmarks); pages link the SVG (base.html). The URL
    # is resolved per request: with the manifest storage of production, the hashed name is known only then.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("pingyi/favicon.svg"), permanent=True)),
]

handler500 = "pingyi.core.views.server_error"  # the cause in the user's language, JSON under /api/
