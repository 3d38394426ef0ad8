from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.org.permissions import Cap, get_org_for_user

from . import selectors, services
from .forms import LibraryUploadForm
from .permissions import get_library_document, get_report_for_user


@login_required
@require_GET
def report(request: HttpRequest, report_id: int) -> HttpResponse:
    """The full report: the text with every copied passage marked, then each beside its source."""
    found = get_report_for_user(request.user, report_id)
    context = {
        "report": found,
        "shown": selectors.shown_report(found, request.user),
        "marked": selectors.marked_text(found),
    }
    return render(request, "originality/report.html", context)


@login_required
@require_GET
def library(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_LIBRARY)
    query = request.GET.get("q", "").strip()
    context = {
        "org": org,
        "page": selectors.library_page(request.GET.get("page"), query),
        "query": query,
        "size": selectors.library_size(),
        "form": LibraryUploadForm(),
    }
    return render(request, "originality/library.html", context)


@login_required
@require_http_methods(["POST"])
def library_upload(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_LIBRARY)
    form = LibraryUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        context = {
            "org": org,
            "page": selectors.library_page(None),
            "query": "",
            "size": selectors.library_size(),
            "form": form,
        }
        return render(request, "originality/library.html", context)
    job = services.upload_library(
        filename=form.cleaned_data["name"],
        data=form.cleaned_data["content"],
        title=form.cleaned_data["title"],
        source_url=form.cleaned_data["source_url"],
        org=org,
        by=request.user,
    )
    return redirect("portal:job", job_id=job.pk)


@login_required
@require_POST
def recheck(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_LIBRARY)
    job = services.enqueue_recheck(org=org, by=request.user)
    return redirect("portal:job", job_id=job.pk)


@login_required
@require_POST
def library_remove(request: HttpRequest, org_code: str, library_document_id: int) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_LIBRARY)
    document = get_library_document(library_document_id)
    services.remove_library_document(document=document, by=request.user)
    messages.success(request, _("已从参考文献库删除：%(title)s") % {"title": document.title})
    return redirect("originality:library", org_code=org.code)
