import copy
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.core.jobs import live_progress

from . import selectors, services
from .forms import CommitForm, MoveForm, PersonForm, RenameForm, RosterUploadForm
from .models import OrgUnit, PersonKind
from .permissions import Cap, can, get_org_for_user, get_person_for_user, visible_roots
from .roster import export, uploads

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    nodes = OrgUnit.objects.in_any_subtree(visible_roots(request.user))
    return render(request, "org/tree.html", {"rows": selectors.tree_rows(request.user, nodes)})


@login_required
@require_GET
def node(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.VIEW_ORG)
    kind = request.GET.get("kind", "") if request.GET.get("kind") in PersonKind.values else ""
    context = {
        "org": org,
        "kind": kind,
        "kinds": PersonKind.choices,
        "people": selectors.people_in(org, kind=kind),
        "see_private": can(request.user, Cap.SEE_PRIVATE, org),
    }
    if request.headers.get("HX-Request"):
        return render(request, "org/_people.html", context)
    context |= {
        "ancestors": org.ancestors().exclude(pk=org.pk),
        "children": org.children.all(),
        "counts": selectors.people_counts(org),
        "history": selectors.history_of(org),
        "can_manage_people": can(request.user, Cap.MANAGE_PEOPLE, org),
        "can_manage_tree": can(request.user, Cap.MANAGE_TREE, org),
        "upload_form": RosterUploadForm(),
    }
    return render(request, "org/node.html", context)


@login_required
@require_GET
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    subject = get_person_for_user(request.user, person_id, Cap.VIEW_ORG)
    own = subject.user_id == request.user.pk
    context = {
        "person": subject,
        "posts": subject.posts.select_related("org"),
        "see_private": own or can(request.user, Cap.SEE_PRIVATE, subject.org),
        "can_edit": can(request.user, Cap.MANAGE_PEOPLE, subject.org),
    }
    return render(request, "org/person.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_PEOPLE)
    form = PersonForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        created = services.save_person(org=org, by=request.user, **_person_fields(form))
        messages.success(request, _("已添加 %(name)s") % {"name": created.name})
        return redirect("org:person", person_id=created.pk)
    return render(request, "org/person_form.html", {"form": form, "org": org})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    subject = get_person_for_user(request.user, person_id, Cap.MANAGE_PEOPLE)
    # The form writes into its instance while validating; the service must see the stored values to record changes.
    form = PersonForm(request.POST or None, instance=copy.deepcopy(subject), org=subject.org)
    if request.method == "POST" and form.is_valid():
        services.save_person(org=subject.org, by=request.user, person=subject, **_person_fields(form))
        messages.success(request, _("已保存"))
        return redirect("org:person", person_id=subject.pk)
    return render(request, "org/person_form.html", {"form": form, "org": subject.org, "person": subject})


def _person_fields(form: PersonForm) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@login_required
@require_http_methods(["GET", "POST"])
def node_rename(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_TREE)
    form = RenameForm(request.POST or None, initial={"name": org.name})
    if request.method == "POST" and form.is_valid():
        services.rename_org_unit(org=org, name=form.cleaned_data["name"], by=request.user)
        messages.success(request, _("已更名"))
        return redirect("org:node", org_code=org.code)
    return render(request, "org/node_change.html", {"form": form, "org": org, "title": _("更名")})


@login_required
@require_http_methods(["GET", "POST"])
def node_move(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_TREE)
    form = MoveForm(request.POST or None, targets=selectors.move_targets(request.user, org))
    if request.method == "POST" and form.is_valid():
        try:
            services.move_org_unit(org=org, new_parent=form.cleaned_data["new_parent"], by=request.user)
        except ValidationError as exc:
            form.add_error("new_parent", exc)
        else:
            messages.success(request, _("已调整隶属关系"))
            return redirect("org:node", org_code=org.code)
    return render(request, "org/node_change.html", {"form": form, "org": org, "title": _("调整隶属")})


@login_required
@require_GET
def roster_template(request: HttpRequest, org_code: str) -> HttpResponse:
    get_org_for_user(request.user, org_code, Cap.MANAGE_PEOPLE)
    return _xlsx(export.template_workbook(), _("党员名册导入模板.xlsx"))


@login_required
@require_GET
def roster_export(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.VIEW_ORG)
    people = selectors.people_in(org, kind=PersonKind.MEMBER)
    data = export.roster_workbook(org=org, people=people, see_private=can(request.user, Cap.SEE_PRIVATE, org))
    return _xlsx(data, _("%(org)s党员名册.xlsx") % {"org": org.name})


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_POST
def roster_upload(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_PEOPLE)
    form = RosterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "org/roster_upload.html", {"form": form, "org": org})
    file = form.cleaned_data["file"]
    upload = uploads.create_upload(org=org, by=request.user, filename=file.name, content=file.read())
    return redirect("org:roster_preview", upload_id=upload.pk)


@login_required
@require_GET
def roster_preview(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = uploads.get_upload_for_user(request.user, upload_id)
    context = {
        "upload": upload,
        "org": upload.org,
        "report": upload.report,
        "can_commit": uploads.can_commit(upload),
        "commit_form": CommitForm(),
        "upload_form": RosterUploadForm(),
        "job": upload.job and live_progress(upload.job),
    }
    return render(request, "org/roster_preview.html", context)


@login_required
@require_POST
def roster_commit(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = uploads.get_upload_for_user(request.user, upload_id)
    form = CommitForm(request.POST)
    form.is_valid()
    try:
        skip_invalid = form.cleaned_data["skip_invalid"]
        started = uploads.queue_commit(upload=upload, by=request.user, skip_invalid=skip_invalid)[1]
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if not started:
            messages.info(request, _("这份名册已经提交导入，不会重复导入"))
    return redirect("org:roster_preview", upload_id=upload.pk)
