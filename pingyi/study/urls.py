from django.urls import path

from . import file_views, register_views, views

app_name = "study"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("checkin/", register_views.check_in, name="checkin"),
    path("checkin/tap/", register_views.check_in_tap, name="checkin_tap"),
    path("campaign/<int:campaign_id>/", views.campaign, name="campaign"),
    path("stage/<int:stage_id>/", views.stage, name="stage"),
    path("stage/<int:stage_id>/statistics.xlsx", views.stage_xlsx, name="stage_xlsx"),
    path("org/<str:org_code>/", views.org_activities, name="org"),
    path("org/<str:org_code>/schedule/", views.schedule, name="schedule"),
    path("org/<str:org_code>/routine/", views.routine_page, name="routine"),
    path("org/<str:org_code>/routine/cadence/", views.cadence_page, name="cadence"),
    path("org/<str:org_code>/settings/", views.settings_page, name="settings"),
    path("<int:activity_id>/", views.activity_detail, name="activity"),
    path("<int:activity_id>/edit/", views.edit, name="edit"),
    path("<int:activity_id>/register/", register_views.register_page, name="register"),
    path("<int:activity_id>/register/all/", register_views.register_all, name="register_all"),
    path("<int:activity_id>/register/<int:person_id>/", register_views.register_mark, name="register_mark"),
    path("<int:activity_id>/register.xlsx", register_views.register_xlsx, name="register_xlsx"),
    path("<int:activity_id>/sign-in-sheet.pdf", register_views.sign_in_sheet, name="sign_in_sheet"),
    path("<int:activity_id>/screen/", register_views.screen, name="screen"),
    path("<int:activity_id>/screen/code/", register_views.screen_code, name="screen_code"),
    path("makeup/<int:attendance_id>/", register_views.makeup, name="makeup"),
    path("<int:activity_id>/photos/", file_views.photo_add, name="photo_add"),
    path("photos/<int:activity_photo_id>/", file_views.photo, name="photo"),
    path("photos/<int:activity_photo_id>/remove/", file_views.photo_remove, name="photo_remove"),
    path("<int:activity_id>/attachments/", file_views.attachment_add, name="attachment_add"),
    path("attachments/<int:activity_attachment_id>/", file_views.attachment, name="attachment"),
    path("attachments/<int:activity_attachment_id>/remove/", file_views.attachment_remove, name="attachment_remove"),
]
