"""The project's URLs plus the baseline: a bare view that reads one row and answers, nothing else."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    from pingyi.org.models import OrgUnit

    return HttpResponse(f"ok {OrgUnit.objects.only('pk').first()}")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("pingyi.urls")),
]
