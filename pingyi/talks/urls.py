from django.urls import path

from . import views

app_name = "talks"

urlpatterns = [
    path("campaign/<int:campaign_id>/", views.campaign_talks, name="campaign"),
    path("campaign/<int:campaign_id>/record/", views.talk_record, name="record"),
    path("campaign/<int:campaign_id>/rules/", views.talk_rules, name="rules"),
    path("rules/<int:talk_rule_id>/remove/", views.talk_rule_remove, name="rule_remove"),
    path("<int:talk_id>/", views.talk_detail, name="detail"),
]
