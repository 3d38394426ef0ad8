from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("add/", views.root_add, name="root_add"),
    path("unit/<str:org_code>/", views.node, name="node"),
    path("unit/<str:org_code>/rename/", views.node_rename, name="node_rename"),
    path("unit/<str:org_code>/move/", views.node_move, name="node_move"),
    path("unit/<str:org_code>/add/", views.node_add, name="node_add"),
    path("unit/<str:org_code>/roles/grant/", views.role_grant, name="role_grant"),
    path("unit/<str:org_code>/roles/<int:grant_id>/revoke/", views.role_revoke, name="role_revoke"),
    path("unit/<str:org_code>/people/add/", views.person_add, name="person_add"),
    path("unit/<str:org_code>/roster/template.xlsx", views.roster_template, name="roster_template"),
    path("unit/<str:org_code>/roster/export.xlsx", views.roster_export, name="roster_export"),
    path("unit/<str:org_code>/roster/upload/", views.roster_upload, name="roster_upload"),
    path("person/<int:person_id>/", views.person, name="person"),
    path("person/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("person/<int:person_id>/account/open/", views.account_open, name="account_open"),
    path("person/<int:person_id>/account/reset/", views.account_reset, name="account_reset"),
    path("person/<int:person_id>/account/disable/", views.account_disable, name="account_disable"),
    path("roster/<int:upload_id>/", views.roster_preview, name="roster_preview"),
    path("roster/<int:upload_id>/columns/", views.roster_columns, name="roster_columns"),
    path("roster/<int:upload_id>/commit/", views.roster_commit, name="roster_commit"),
]
