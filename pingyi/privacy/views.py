from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pingyi.core.downloads import ZIP, attachment
from pingyi.core.views import run_service
from pingyi.org.personal_data import is_anonymised

from . import services
from .forms import AnonymiseForm
from .permissions import get_own_person, get_person_for_privacy, get_person_to_anonymise


def _download(person_id: int, data: bytes) -> HttpResponse:
    response = attachment(data, f"个人信息-{person_id}.zip", ZIP)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """What the platform keeps about the viewer, and the button to download it."""
    return render(request, "privacy/mine.html", {"person": get_own_person(request.user)})


@never_cache
@login_required
@require_POST
def mine_export(request: HttpRequest) -> HttpResponse:
    person = get_own_person(request.user)
    return _download(person.pk, services.export_person_data(person=person, by=request.user))


@login_required
@require_GET
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    found = get_person_for_privacy(request.user, person_id)
    context = {
        "person": found,
        "anonymised": is_anonymised(found),
        "blockers": services.blockers(found),
        "form": AnonymiseForm(),
    }
    return render(request, "privacy/person.html", context)


@never_cache
@login_required
@require_POST
def person_export(request: HttpRequest, person_id: int) -> HttpResponse:
    found = get_person_for_privacy(request.user, person_id)
    return _download(found.pk, services.export_person_data(person=found, by=request.user))


@login_required
@require_POST
def person_anonymise(request: HttpRequest, person_id: int) -> HttpResponse:
    found = get_person_to_anonymise(request.user, person_id)
    form = AnonymiseForm(request.POST)
    if form.is_valid():
        call = lambda: services.anonymise_person(  # noqa: E731
            person=found, ground=form.cleaned_data["ground"], note=form.cleaned_data["note"], by=request.user
        )
        if run_service(
            request, call, done=_("已匿名化：此人的身份信息和有关其本人的文字已清除，统计数字不变。"), form=form
        ):
            return redirect("privacy:person", person_id=found.pk)
    context = {"person": found, "anonymised": is_anonymised(found), "blockers": services.blockers(found), "form": form}
    return render(request, "privacy/person.html", context)
