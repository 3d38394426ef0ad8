from django.urls import path

from . import views

app_name = "talks"

urlpatterns = [
    path("campaign/<int:campaign_id>/", views.campaign_talks, name="campaign"),
    path("campaign/<int:campaign_id>/record/", views.talk_record, name="record"),
    path("campaign/<int:campaign_id>/requirements/", views.talk_requirements, name="requirements"),
    path("requirements/<int:talk_requirement_id>/remove/", views.talk_requirement_remove, name="requirement_remove"),
    path("<int:talk_id>/", views.talk_detail, name="detail"),
]
