from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("campaigns/<int:campaign_id>/", views.campaign_rounds, name="campaign"),
    path("campaigns/<int:campaign_id>/new/", views.round_create, name="round_create"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:round_id>/open/", views.round_open, name="round_open"),
    path("rounds/<int:round_id>/close/", views.round_close, name="round_close"),
    path("rounds/<int:round_id>/self/", views.self_assess, name="self_assess"),
    path("rounds/<int:round_id>/self/autosave/", views.self_assess_autosave, name="self_assess_autosave"),
    path("rounds/<int:round_id>/rate/", views.rate, name="rate"),
    path("rounds/<int:round_id>/codes/", views.codes, name="codes"),
    path("rounds/<int:round_id>/exclusions/", views.exclusion_request, name="exclusion_request"),
    path("exclusions/<int:exclusion_id>/decide/", views.exclusion_decide, name="exclusion_decide"),
    path("rounds/<int:round_id>/paper/", views.paper_voted, name="paper_voted"),
    path("rounds/<int:round_id>/batches/", views.batch_create, name="batch_create"),
    path("batches/<int:batch_id>/", views.batch_entry, name="batch_entry"),
    path("rounds/<int:round_id>/committee/", views.committee, name="committee"),
    path("decisions/<int:round_member_id>/", views.decide, name="decide"),
    path("rounds/<int:round_id>/notices/new/", views.notice_create, name="notice_create"),
    path("notices/<int:notice_id>/", views.notice, name="notice"),
    path("notices/<int:notice_id>/docx/", views.notice_docx, name="notice_docx"),
    path("notices/<int:notice_id>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("p/<uuid:round_key>/", views.public_rate, name="public_rate"),
]
