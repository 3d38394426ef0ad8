from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("campaign/<int:campaign_id>/", views.campaign_feedback, name="campaign"),
    path("campaign/<int:campaign_id>/draft/", views.draft_all, name="draft_all"),
    path("campaign/<int:campaign_id>/send/", views.send_all, name="send_all"),
    path("campaign/<int:campaign_id>/letters/", views.letters, name="letters"),
    path("<int:feedback_id>/", views.feedback_detail, name="detail"),
    path("<int:feedback_id>/edit/", views.feedback_edit, name="edit"),
    path("<int:feedback_id>/redraft/", views.feedback_redraft, name="redraft"),
    path("<int:feedback_id>/send/", views.feedback_send, name="send"),
    path("<int:feedback_id>/acknowledge/", views.feedback_acknowledge, name="acknowledge"),
    path("<int:feedback_id>/letter/", views.feedback_letter, name="letter"),
    path("<int:feedback_id>/rectification/", views.feedback_make_item, name="make_item"),
]
