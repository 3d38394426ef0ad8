from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.core.access_log import record_private_view
from pingyi.core.downloads import XLSX, attachment
from pingyi.core.forms import edit_instance
from pingyi.core.jobs import live_progress
from pingyi.core.views import run_service

from . import selectors, services
from .forms import (
    AccountForm,
    ChildOrgForm,
    ColumnsForm,
    CommitForm,
    MoveForm,
    PersonForm,
    RenameForm,
    RoleGrantForm,
    RosterUploadForm,
)
from .models import OrgType, OrgUnit, Person, PersonKind, RoleGrant, under
from .permissions import (
    Cap,
    can,
    can_manage_account,
    get_grant_in,
    get_org_for_user,
    get_person_account_for_user,
    get_person_for_user,
    may_add_root,
    visible_roots,
)
from .roster import export, uploads


@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    nodes = OrgUnit.objects.in_any_subtree(visible_roots(request.user))
    context = {"rows": selectors.tree_rows(request.user, nodes), "can_add_root": may_add_root(request.user)}
    return render(request, "org/tree.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def root_add(request: HttpRequest) -> HttpResponse:
    """A new top of the tree (a province, or a district that runs Pingyi alone): the administrator's job."""
    if not may_add_root(request.user):
        raise PermissionDenied
    form = ChildOrgForm(request.POST or None, initial={"type": OrgType.PROVINCE})
    root = _add_node(request, form, parent=None)
    if root is not None:
        return redirect("org:node", org_code=root.code)
    return render(request, "org/root_add.html", {"form": form})


@login_required
@require_GET
def node(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.VIEW_ORG)
    kind = request.GET.get("kind", "") if request.GET.get("kind") in PersonKind.values else ""
    people = list(selectors.people_in(org, kind=kind))
    see_private = can(request.user, Cap.SEE_PRIVATE, org)
    if see_private:
        record_private_view(user=request.user, org=org, what="org.people", count=len(people))
    context = {
        "org": org,
        "kind": kind,
        "kinds": PersonKind.choices,
        "people": people,
        "see_private": see_private,
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
        "can_manage_roles": can(request.user, Cap.MANAGE_ROLES, org),
        "can_manage_library": can(request.user, Cap.MANAGE_LIBRARY, org),
        "grants": _grants_in(org, request.user),
        "upload_form": RosterUploadForm(),
    }
    return render(request, "org/node.html", context)


def _grants_in(org: OrgUnit, user: object) -> list[tuple[RoleGrant, str, bool]]:
    """Each role grant on the node or below: the grant, whose it is, and whether the user may revoke it."""
    grants = RoleGrant.objects.filter(under(org)).select_related("org", "user__person")
    rows = []
    for grant in grants.order_by("org__path", "role", "user__username"):
        holder = getattr(grant.user, "person", None)
        name = holder.name if holder else grant.user.first_name or grant.user.get_username()
        rows.append((grant, name, can(user, Cap.MANAGE_ROLES, grant.org) and services.may_revoke(grant=grant, by=user)))
    return rows


@login_required
@require_GET
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    subject = get_person_for_user(request.user, person_id, Cap.VIEW_ORG)
    own = subject.user_id == request.user.pk
    see_private = own or can(request.user, Cap.SEE_PRIVATE, subject.org)
    if see_private and not own and (subject.id_number or subject.phone):
        record_private_view(user=request.user, org=subject.org, what="org.person", count=1, subject=subject)
    context = {
        "person": subject,
        "posts": subject.posts.select_related("org"),
        "see_private": see_private,
        "can_edit": can(request.user, Cap.MANAGE_PEOPLE, subject.org),
        "can_manage_account": not own
        and can(request.user, Cap.MANAGE_PEOPLE, subject.org)
        and can_manage_account(request.user, subject),
    }
    return render(request, "org/person.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@sensitive_variables("credentials")
def account_open(request: HttpRequest, person_id: int) -> HttpResponse:
    subject = get_person_account_for_user(request.user, person_id)
    if subject.user_id:
        messages.info(request, _("%(name)s 已有登录账号；如果没有记下初始密码，请重置密码") % {"name": subject.name})
        return redirect("org:person", person_id=subject.pk)
    form = AccountForm(request.POST or None, initial={"username": subject.phone})
    if request.method == "POST" and form.is_valid():
        try:
            credentials = services.open_account(person=subject, username=form.cleaned_data["username"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _credentials_page(request, subject, credentials, _("已开通登录账号"))
    return render(request, "org/account_open.html", {"form": form, "person": subject})


@login_required
@require_POST
@sensitive_variables("credentials")
def account_reset(request: HttpRequest, person_id: int) -> HttpResponse:
    subject = get_person_account_for_user(request.user, person_id)
    try:
        credentials = services.reset_password(person=subject, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("org:person", person_id=subject.pk)
    return _credentials_page(request, subject, credentials, _("已重置密码"))


def _credentials_page(
    request: HttpRequest, subject: Person, credentials: services.Credentials, title: str
) -> HttpResponse:
    """The one time the password is shown: rendered in the POST's answer, kept out of any cache."""
    context = {"person": subject, "credentials": credentials, "title": title}
    response = render(request, "org/account_credentials.html", context)
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def account_disable(request: HttpRequest, person_id: int) -> HttpResponse:
    subject = get_person_account_for_user(request.user, person_id)
    try:
        services.disable_account(person=subject, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已停用 %(name)s 的登录账号") % {"name": subject.name})
    return redirect("org:person", person_id=subject.pk)


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
    form = PersonForm(request.POST or None, instance=edit_instance(subject), org=subject.org)
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
@require_http_methods(["GET", "POST"])
def node_add(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_TREE)
    form = ChildOrgForm(request.POST or None, initial={"code": f"{org.code}-"})
    child = _add_node(request, form, parent=org)
    if child is not None:
        return redirect("org:node", org_code=child.code)
    return render(request, "org/node_change.html", {"form": form, "org": org, "title": _("添加下级组织")})


def _add_node(request: HttpRequest, form: ChildOrgForm, parent: OrgUnit | None) -> OrgUnit | None:
    """The node a valid submission added (or had already added: a double submit), else None."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        node, created = services.add_child_org(parent=parent, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    if created:
        messages.success(request, _("已添加组织 %(name)s") % {"name": node.name})
    return node


@login_required
@require_http_methods(["GET", "POST"])
def role_grant(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_ROLES)
    form = RoleGrantForm(request.POST or None, org=org, by=request.user)
    if request.method == "POST" and form.is_valid():
        holder = form.cleaned_data["person"]
        services.grant_role(user=holder.user, org=org, role=form.cleaned_data["role"], by=request.user)
        messages.success(request, _("已授予 %(name)s 角色") % {"name": holder.name})
        return redirect("org:node", org_code=org.code)
    return render(request, "org/node_change.html", {"form": form, "org": org, "title": _("授予角色")})


@login_required
@require_POST
def role_revoke(request: HttpRequest, org_code: str, grant_id: int) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_ROLES)
    grant = get_grant_in(org, grant_id)
    if grant is None:
        messages.info(request, _("该角色已撤销或不存在"))
        return redirect("org:node", org_code=org.code)
    try:
        services.revoke_role(grant=grant, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已撤销角色"))
    return redirect("org:node", org_code=org.code)


@login_required
@require_GET
def roster_template(request: HttpRequest, org_code: str) -> HttpResponse:
    get_org_for_user(request.user, org_code, Cap.MANAGE_PEOPLE)
    return _xlsx(export.template_workbook(), _("党员名册导入模板.xlsx"))


@login_required
@require_GET
def roster_export(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.VIEW_ORG)
    people = list(selectors.people_in(org, kind=PersonKind.MEMBER))
    see_private = can(request.user, Cap.SEE_PRIVATE, org)
    if see_private:
        record_private_view(user=request.user, org=org, what="org.roster_export", count=len(people))
    data = export.roster_workbook(org=org, people=people, see_private=see_private)
    return _xlsx(data, _("%(org)s党员名册.xlsx") % {"org": org.name})


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    return attachment(data, filename, XLSX)


@login_required
@require_POST
def roster_upload(request: HttpRequest, org_code: str) -> HttpResponse:
    org = get_org_for_user(request.user, org_code, Cap.MANAGE_PEOPLE)
    form = RosterUploadForm(request.POST, request.FILES)
    if form.is_valid():
        file = form.cleaned_data["file"]
        created = run_service(
            request,
            lambda: uploads.create_upload(org=org, by=request.user, filename=file.name, content=file.read()),
            form=form,
            field="file",
        )
        if created.value is not None:
            return redirect("org:roster_columns", upload_id=created.value.pk)
    return render(request, "org/roster_upload.html", {"form": form, "org": org})


@login_required
@require_http_methods(["GET", "POST"])
def roster_columns(request: HttpRequest, upload_id: int) -> HttpResponse:
    """Which column holds what, shown before the check; confirming it starts the check (a job)."""
    upload = uploads.get_upload_for_user(request.user, upload_id)
    if not uploads.may_map(upload):
        return redirect("org:roster_preview", upload_id=upload.pk)
    layout = uploads.layout_of_upload(upload)
    assert layout is not None  # may_map is false once the file is erased
    form = ColumnsForm(request.POST or None, layout=layout)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request, lambda: uploads.confirm_columns(upload=upload, by=request.user, chosen=form.chosen()), form=form
        )
    ):
        return redirect("org:roster_preview", upload_id=upload.pk)
    return render(request, "org/roster_columns.html", {"upload": upload, "org": upload.org, "form": form})


@login_required
@require_GET
def roster_preview(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = uploads.get_upload_for_user(request.user, upload_id)
    if upload.status == upload.Status.MAPPING:
        return redirect("org:roster_columns", upload_id=upload.pk)
    context = {
        "upload": upload,
        "org": upload.org,
        "report": upload.report,
        "can_commit": uploads.can_commit(upload),
        "may_map": uploads.may_map(upload),
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
