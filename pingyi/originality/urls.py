from django.urls import path

from . import views

app_name = "originality"

urlpatterns = [
    path("reports/<int:report_id>/", views.report, name="report"),
    path("library/<str:org_code>/", views.library, name="library"),
    path("library/<str:org_code>/upload/", views.library_upload, name="library_upload"),
    path("library/<str:org_code>/recheck/", views.recheck, name="recheck"),
    path("library/<str:org_code>/<int:library_document_id>/remove/", views.library_remove, name="library_remove"),
]
