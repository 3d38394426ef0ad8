from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from pingyi.api.api import api

urlpatterns = [
    path("", include("pingyi.core.urls")),
    path("org/", include("pingyi.org.urls")),
    path("campaigns/", include("pingyi.campaigns.urls")),
    path("api/", api.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
