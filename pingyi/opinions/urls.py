from django.urls import path

from . import public_views, views

app_name = "opinions"

urlpatterns = [
    path("campaign/<int:campaign_id>/", views.campaign_opinions, name="campaign"),
    path("campaign/<int:campaign_id>/rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:opinion_round_id>/", views.round_detail, name="round"),
    path("rounds/<int:opinion_round_id>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:opinion_round_id>/poster/", views.round_poster, name="round_poster"),
    path("rounds/<int:opinion_round_id>/export/", views.round_export, name="round_export"),
    path("rounds/<int:opinion_round_id>/code/", views.round_code, name="round_code"),
    path("rounds/<int:opinion_round_id>/add/", views.opinion_add, name="opinion_add"),
    path("rounds/<int:opinion_round_id>/invitees/", views.invitees, name="invitees"),
    path("rounds/<int:opinion_round_id>/letters/", views.letters_start, name="letters_start"),
    path("rounds/<int:opinion_round_id>/symposia/new/", views.symposium_add, name="symposium_add"),
    path("rounds/<int:opinion_round_id>/visits/new/", views.visit_add, name="visit_add"),
    path("rounds/<int:opinion_round_id>/followup/", views.followup, name="followup"),
    path("invitees/<int:invitee_id>/remove/", views.invitee_remove, name="invitee_remove"),
    path("batches/<int:letter_batch_id>/", views.batch_download, name="batch_download"),
    path("symposia/<int:symposium_id>/", views.symposium_detail, name="symposium"),
    path("items/<int:opinion_id>/", views.opinion_detail, name="opinion"),
    path("items/<int:opinion_id>/categorise/", views.opinion_categorise, name="opinion_categorise"),
    path("items/<int:opinion_id>/answer/", views.opinion_answer, name="opinion_answer"),
    path("items/<int:opinion_id>/merge/", views.opinion_merge, name="opinion_merge"),
    path("items/<int:opinion_id>/rectify/", views.opinion_rectify, name="opinion_rectify"),
    path("p/<str:opinion_round_key>/", public_views.public_form, name="public"),
]
