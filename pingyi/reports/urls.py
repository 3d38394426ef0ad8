from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("burden/", views.burden, name="burden"),
    path("org/<str:org_code>/", views.rollup, name="rollup"),
    path("org/<str:org_code>/export/", views.rollup_export, name="rollup_export"),
    path("campaign/<int:campaign_id>/progress/", views.campaign_progress, name="progress"),
    path("campaign/<int:campaign_id>/stage/<int:stage_order>/remind/", views.remind_overdue, name="remind"),
    path("campaign/<int:campaign_id>/stage/<int:stage_order>/summary/", views.stage_summary, name="summary"),
    path("summaries/<int:stage_summary_id>/download/", views.summary_download, name="summary_download"),
]
