"""The project's URLs plus the baseline: a bare Django view that inserts the posted text, nothing else."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare_insert(request: HttpRequest, round_id: int) -> HttpResponse:
    from pingyi.opinions.models import Opinion

    opinion = Opinion.objects.create(
        round_id=round_id, channel="online", text=request.POST.get("text", ""), submission_key=request.POST.get("key")
    )
    return HttpResponse(f"ok {opinion.pk}")


urlpatterns = [
    path("bench/insert/<int:round_id>/", bare_insert),
    path("", include("pingyi.urls")),
]
