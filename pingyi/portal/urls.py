from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("jobs/<uuid:job_id>/", views.job_status, name="job"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:notification_id>/open/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/badge/", views.notification_badge, name="notification_badge"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("audit/<str:org_code>/", views.audit_log, name="audit"),
    path("audit/<str:org_code>/verify/", views.audit_verify, name="audit_verify"),
]
