from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import OrgUnit
from .permissions import visible_roots


@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    roots = visible_roots(request.user)
    nodes = OrgUnit.objects.in_any_subtree(roots)
    return render(request, "org/tree.html", {"nodes": nodes})
