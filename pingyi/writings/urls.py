from django.urls import path

from . import views

app_name = "writings"

urlpatterns = [
    path("campaigns/<int:campaign_id>/", views.campaign_page, name="campaign"),
    path("campaigns/<int:campaign_id>/queue/", views.queue, name="queue"),
    path("campaigns/<int:campaign_id>/start/", views.start, name="start"),
    path("campaigns/<int:campaign_id>/export.docx", views.export_docx, name="export_docx"),
    path("campaigns/<int:campaign_id>/export.zip", views.export_zip, name="export_zip"),
    path("campaigns/<int:campaign_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:writing_id>/", views.detail, name="detail"),
    path("<int:writing_id>/edit/", views.edit, name="edit"),
    path("<int:writing_id>/autosave/", views.autosave, name="autosave"),
    path("<int:writing_id>/upload/", views.upload, name="upload"),
    path("<int:writing_id>/submit/", views.submit, name="submit"),
    path("<int:writing_id>/diff/", views.diff, name="diff"),
    path("<int:writing_id>/return/", views.return_writing, name="return"),
    path("<int:writing_id>/accept/", views.accept_writing, name="accept"),
]
