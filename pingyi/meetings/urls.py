from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("campaign/<int:campaign_id>/", views.campaign_meetings, name="campaign"),
    path("campaign/<int:campaign_id>/plan/", views.meeting_plan, name="plan"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path("<int:meeting_id>/attendance/", views.meeting_attendance, name="attendance"),
    path("<int:meeting_id>/minutes.docx", views.meeting_minutes, name="minutes"),
    path("attendees/<int:attendee_id>/", views.attendee_record, name="attendee"),
    path("commitments/<int:commitment_id>/rectify/", views.commitment_rectify, name="commitment_rectify"),
    path("criticisms/<int:criticism_id>/rectify/", views.criticism_rectify, name="criticism_rectify"),
]
