from django.urls import path

from . import views

app_name = "rectification"

urlpatterns = [
    path("campaign/<int:campaign_id>/", views.campaign_items, name="campaign"),
    path("campaign/<int:campaign_id>/new/", views.item_create, name="item_create"),
    path("campaign/<int:campaign_id>/checks/", views.checks, name="checks"),
    path("unit/<str:org_code>/", views.org_items, name="org"),
    path("unit/<str:org_code>/settings/", views.branch_settings, name="settings"),
    path("changes/<str:org_code>/", views.public_list, name="public"),
    path("items/<int:rectification_item_id>/", views.item_detail, name="item"),
    path("items/<int:rectification_item_id>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:rectification_item_id>/report/", views.item_report, name="item_report"),
    path("items/<int:rectification_item_id>/verify/", views.item_verify, name="item_verify"),
    path("items/<int:rectification_item_id>/return/", views.item_return, name="item_return"),
    path("items/<int:rectification_item_id>/publish/", views.item_publish, name="item_publish"),
    path("items/<int:rectification_item_id>/unpublish/", views.item_unpublish, name="item_unpublish"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("checks/<int:four_check_id>/", views.check_detail, name="check"),
    path("checks/<int:four_check_id>/publish/", views.check_publish, name="check_publish"),
]
