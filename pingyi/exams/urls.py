from django.urls import path

from . import views

app_name = "exams"

urlpatterns = [
    path("", views.home, name="home"),
    path("org/<str:org_code>/", views.index, name="index"),
    path("org/<str:org_code>/banks/new/", views.bank_create, name="bank_create"),
    path("org/<str:org_code>/papers/new/", views.paper_create, name="paper_create"),
    path("banks/<int:bank_id>/", views.bank, name="bank"),
    path("banks/<int:bank_id>/import/", views.bank_import, name="bank_import"),
    path("banks/<int:bank_id>/template/", views.template, name="template"),
    path("banks/<int:bank_id>/questions/<int:question_id>/delete/", views.question_delete, name="question_delete"),
    path("papers/<int:paper_id>/", views.paper, name="paper"),
    path("papers/<int:paper_id>/analysis/", views.analysis, name="analysis"),
    path("campaign/<int:campaign_id>/", views.campaign, name="campaign"),
    path("campaign/<int:campaign_id>/sittings/new/", views.sitting_create, name="sitting_create"),
    path("sittings/<int:sitting_id>/", views.sitting, name="sitting"),
    path("sittings/<int:sitting_id>/export/", views.export, name="export"),
    path("sittings/<int:sitting_id>/makeup/", views.makeup, name="makeup"),
    path("sittings/<int:sitting_id>/paper-sheet/", views.paper_sheet, name="paper_sheet"),
    path("sittings/<int:sitting_id>/grading/", views.grading, name="grading"),
    path("sittings/<int:sitting_id>/start/", views.start, name="start"),
    path("answers/<int:answer_id>/grade/", views.grade, name="grade"),
    path("sheets/<int:sheet_id>/", views.sheet, name="sheet"),
    path("sheets/<int:sheet_id>/answer/", views.answer, name="answer"),
    path("sheets/<int:sheet_id>/submit/", views.submit, name="submit"),
    path("sheets/<int:sheet_id>/print/", views.print_sheet, name="print"),
    path("sheets/<int:sheet_id>/enter/", views.enter, name="enter"),
]
