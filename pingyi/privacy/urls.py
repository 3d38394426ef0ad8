from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("mine/export/", views.mine_export, name="mine_export"),
    path("person/<int:person_id>/", views.person, name="person"),
    path("person/<int:person_id>/export/", views.person_export, name="person_export"),
    path("person/<int:person_id>/anonymise/", views.person_anonymise, name="person_anonymise"),
]
