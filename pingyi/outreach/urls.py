from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("campaign/<int:campaign_id>/plan/", views.campaign_plan, name="campaign_plan"),
    path("campaign/<int:campaign_id>/stage/<int:stage_order>/plan/", views.plan, name="plan"),
    path("plans/<int:study_plan_id>/read/", views.plan_read, name="plan_read"),
    path("mine/", views.received, name="received"),
    path("org/<str:org_code>/materials/", views.materials, name="materials"),
    path("materials/files/<int:material_file_id>/", views.material_file, name="material_file"),
    path("org/<str:org_code>/contacts/", views.contacts, name="contacts"),
    path("org/<str:org_code>/contacts/add/", views.contact_add, name="contact_add"),
    path("people/<int:person_id>/contacts/", views.person_contacts, name="person_contacts"),
    path("org/<str:org_code>/liaison/", views.liaison, name="liaison"),
    path("liaison/<int:liaison_point_id>/visit/", views.visit_add, name="visit_add"),
    path("org/<str:org_code>/deeds/", views.deeds, name="deeds"),
    path("org/<str:org_code>/deeds/add/", views.deed_add, name="deed_add"),
    path("photos/<int:deed_photo_id>/", views.deed_photo, name="deed_photo"),
    path("org/<str:org_code>/settings/", views.outreach_settings, name="settings"),
]
