from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path, reverse_lazy
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.i18n import set_language

from pingyi.api.api import api

# Our own template names: the admin, listed first in INSTALLED_APPS, ships registration/password_change_form.html.
PASSWORD_CHANGE = [
    path(
        "change/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/password_change_page.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done_page.html"),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("", include("pingyi.portal.urls")),
    path("org/", include("pingyi.org.urls")),
    path("campaigns/", include("pingyi.campaigns.urls")),
    path("api/", api.urls),
    path("writings/", include("pingyi.writings.urls")),
    path("originality/", include("pingyi.originality.urls")),
    path("opinions/", include("pingyi.opinions.urls")),
    path("talks/", include("pingyi.talks.urls")),
    path("meetings/", include("pingyi.meetings.urls")),
    path("evaluation/", include("pingyi.evaluation.urls")),
    path("rectification/", include("pingyi.rectification.urls")),
    path("feedback/", include("pingyi.feedback.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Namespaced so the URL matrix in docs/permissions.md can name them like every other page.
    path("accounts/password/", include((PASSWORD_CHANGE, "accounts"))),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on their own (downloads, bookmarks); pages link the SVG (base.html). The URL
    # is resolved per request: with the manifest storage of production, the hashed name is known only then.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("pingyi/favicon.svg"), permanent=True)),
]
