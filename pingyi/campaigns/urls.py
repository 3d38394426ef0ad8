from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("<int:campaign_id>/excusals/", views.excusals, name="excusals"),
    path("excusals/<int:excusal_id>/withdraw/", views.excusal_withdraw, name="excusal_withdraw"),
    path("lookback/<int:lookback_id>/check/", views.lookback_check, name="lookback_check"),
    path("lookback/<int:lookback_id>/uncheck/", views.lookback_uncheck, name="lookback_uncheck"),
    path("stages/<int:stage_id>/sign-off/", views.stage_sign_off, name="sign_off"),
    path("stages/<int:stage_id>/review/", views.stage_review, name="review"),
]
