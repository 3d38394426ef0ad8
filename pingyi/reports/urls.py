from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("org/<str:org_code>/", views.rollup, name="rollup"),
    path("org/<str:org_code>/export/", views.rollup_export, name="rollup_export"),
    path("campaign/<int:campaign_id>/progress/", views.campaign_progress, name="progress"),
]
