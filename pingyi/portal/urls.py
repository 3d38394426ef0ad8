from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("jobs/<uuid:job_id>/", views.job_status, name="job"),
    path("audit/<str:org_code>/", views.audit_log, name="audit"),
    path("audit/<str:org_code>/verify/", views.audit_verify, name="audit_verify"),
]
