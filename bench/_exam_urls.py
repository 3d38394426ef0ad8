"""The project's URLs plus the ceiling: a bare Django view that inserts the posted answer as one row."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare_insert(request: HttpRequest, sheet_id: int) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_answer (sheet_id, position, response) VALUES (%s, %s, %s)",
            [sheet_id, int(request.POST.get("position", "0")), request.POST.get("value", "")],
        )
    return HttpResponse("ok")


urlpatterns = [
    path("bench/answer/<int:sheet_id>/", bare_insert),
    path("", include("pingyi.urls")),
]
