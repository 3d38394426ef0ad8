"""The project's URLs plus two views that exercise the database, for test_faults.py only."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from pingyi.urls import handler500
from pingyi.urls import urlpatterns as project

__all__ = ["handler500", "urlpatterns"]


def cut(request: HttpRequest) -> HttpResponse:
    """The database drops this request's connection half-way (as a restart or a network cut would)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    return HttpResponse(str(get_user_model().objects.count()))


def count(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(get_user_model().objects.count()))


urlpatterns = [path("faults/cut/", cut), path("faults/count/", count), *project]
