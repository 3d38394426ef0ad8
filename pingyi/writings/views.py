from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.campaigns.permissions import get_campaign_for_user
from pingyi.core.downloads import DOCX, XLSX, ZIP, attachment
from pingyi.org.models import person_of
from pingyi.org.permissions import Cap, can
from pingyi.originality.selectors import report_for, shown_report

from . import exports, selectors, services
from .diff import diff_texts
from .forms import DiffForm, DraftForm, ReviewForm, StartForm, UploadForm
from .models import KIND_OF_RULE, Writing
from .permissions import (
    already_accepted_by,
    get_writing_for_author,
    get_writing_for_reader,
    get_writing_for_reviewer,
    is_author,
    may_review,
)
from .text import MAX_UPLOAD_BYTES, length_limits


@login_required
@require_GET
def campaign_page(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """A member's own pieces with a button to write; for those who may see names, everyone's state per work item."""
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    show_people = can(request.user, Cap.VIEW_ORG, campaign.org)
    panels, me = selectors.campaign_writings(campaign, request.user, show_people=show_people)
    context = {
        "campaign": campaign,
        "panels": panels,
        "me": me,
        "show_people": show_people,
        "can_review": can(request.user, Cap.REVIEW_WRITINGS, campaign.org),
    }
    if context["can_review"]:
        context["queue_count"] = selectors.review_queue(request.user, campaign).count()
    return render(request, "writings/campaign.html", context)


@login_required
@require_GET
def queue(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Every piece waiting for this reviewer, oldest first, with its 复制比 and verdict colour."""
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.REVIEW_WRITINGS)
    rows = selectors.queue_rows(request.user, campaign)
    return render(request, "writings/queue.html", {"campaign": campaign, "rows": rows})


@login_required
@require_POST
def start(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.VIEW_CAMPAIGN)
    author = person_of(request.user, member_only=True)
    if author is None or not author.org.is_within(campaign.org):
        raise PermissionDenied  # only the campaign's members write
    form = StartForm(request.POST)
    item = _writing_item(campaign, form.cleaned_data["work_item"]) if form.is_valid() else None
    if item is None:
        messages.error(request, _("请选择要撰写的工作事项。"))
        return redirect("writings:campaign", campaign_id=campaign.pk)
    try:
        writing = services.start_writing(work_item=item, author=author, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("writings:campaign", campaign_id=campaign.pk)
    return redirect("writings:edit", writing_id=writing.pk)


def _writing_item(campaign: Campaign, pk: int) -> WorkItem | None:
    return (
        WorkItem.objects.select_related("stage__campaign__org")
        .filter(pk=pk, stage__campaign=campaign, rule__in=list(KIND_OF_RULE))
        .first()
    )


def _editor(request: HttpRequest, writing: Writing, form: DraftForm | None = None, **extra: object) -> HttpResponse:
    page = selectors.writing_page(writing)
    context = {
        "writing": writing,
        "page": page,
        "form": form or DraftForm(writing=writing),
        "upload_form": extra.pop("upload_form", None) or UploadForm(),
        "word_count": services.body_words(writing),
        "lengths": length_limits(writing.kind),
        **extra,
    }
    response = render(request, "writings/edit.html", context)
    # The editor must never come back from the browser's cache once the piece is submitted: the back
    # button then asks the server, which sends a submitted piece to its page (editor.js covers bfcache).
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, writing_id: int) -> HttpResponse:
    writing = get_writing_for_author(request.user, writing_id)
    if not writing.editable:
        return redirect("writings:detail", writing_id=writing.pk)
    if request.method == "GET":
        return _editor(request, writing)
    form = DraftForm(request.POST, writing=writing)
    if form.is_valid():
        try:
            services.save_draft(writing=writing, by=request.user, **form.content())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("writings:edit", writing_id=writing.pk)
    return _editor(request, writing, form)


@login_required
@require_POST
def autosave(request: HttpRequest, writing_id: int) -> HttpResponse:
    """The editor posts here every few seconds and on blur (htmx); the answer is the "saved at" line."""
    writing = get_writing_for_author(request.user, writing_id)
    form = DraftForm(request.POST, writing=writing)
    context: dict[str, object] = {"writing": writing}
    if not form.is_valid():
        context["error"] = next(iter(form.errors.values()))[0]
    else:
        try:
            result = services.save_draft(
                writing=writing,
                by=request.user,
                seq=form.cleaned_data["seq"],
                client=form.cleaned_data["client"],
                **form.content(),
            )
        except ValidationError as exc:
            context["error"] = exc.messages[0]
        else:
            context["saved_at"] = result.at
    return render(request, "writings/_autosave.html", context)


@login_required
@require_POST
def upload(request: HttpRequest, writing_id: int) -> HttpResponse:
    writing = get_writing_for_author(request.user, writing_id)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        file = form.cleaned_data["file"]
        try:
            # Read at most one byte past the limit: the service reports the size without holding a huge file.
            filled = services.fill_from_file(
                writing=writing, by=request.user, filename=file.name, data=file.read(MAX_UPLOAD_BYTES + 1)
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if filled.headings_found:
                messages.success(
                    request, _("已读入“%(name)s”的文字，请检查后提交。") % {"name": filled.writing.filename}
                )
            else:
                messages.warning(
                    request, _("已读入文字，但没有找到“查摆的问题”等标题：全文放在了第一部分，请分到三个部分。")
                )
            return redirect("writings:edit", writing_id=writing.pk)
    return _editor(request, writing, upload_form=form)


@login_required
@require_POST
def submit(request: HttpRequest, writing_id: int) -> HttpResponse:
    writing = get_writing_for_author(request.user, writing_id)
    if not writing.editable:
        messages.info(request, _("这份文稿已经提交过了，无需重复提交。"))
        return redirect("writings:detail", writing_id=writing.pk)
    form = DraftForm(request.POST, writing=writing)
    if form.is_valid():
        try:
            result = services.save_and_submit(writing=writing, by=request.user, **form.content())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if result.already:
                messages.info(request, _("这份文稿已经提交过了，无需重复提交。"))
            else:
                messages.success(request, _("第%(n)d稿已提交，等待审阅。") % {"n": result.version.number})
            return redirect("writings:detail", writing_id=writing.pk)
    return _editor(request, writing, form)


@login_required
@require_GET
def detail(request: HttpRequest, writing_id: int) -> HttpResponse:
    """The review page: the version's text, its 复制比 report, the history, and the reviewer's buttons."""
    writing = get_writing_for_reader(request.user, writing_id)
    number = request.GET.get("v", "")
    page = selectors.writing_page(writing, int(number) if number.isdigit() else None)
    reviewer = may_review(request.user, writing)
    waiting = (
        list(selectors.review_queue(request.user, writing.campaign).values_list("pk", flat=True)) if reviewer else []
    )
    context = {
        "queue": {
            "count": len(waiting),
            "position": waiting.index(writing.pk) + 1 if writing.pk in waiting else None,
            "next": next((pk for pk in waiting if pk != writing.pk), None),
        },
        "writing": writing,
        "page": page,
        "shown": shown_report(report_for("writing", page.shown.pk), request.user) if page.shown else None,
        "can_review": reviewer
        and writing.status == Writing.Status.SUBMITTED
        and page.is_latest
        and not already_accepted_by(request.user, writing),
        "is_author": is_author(request.user, writing),
        "review_form": ReviewForm(initial={"version": page.latest.number}) if page.latest else None,
        "diff": diff_texts(page.previous.text, page.shown.text) if page.previous and page.shown else None,
        "diff_a": page.previous,
        "diff_b": page.shown,
    }
    return render(request, "writings/detail.html", context)


@login_required
@require_GET
def diff(request: HttpRequest, writing_id: int) -> HttpResponse:
    writing = get_writing_for_reader(request.user, writing_id)
    page = selectors.writing_page(writing)
    form = DiffForm(request.GET)
    versions = {v.number: v for v in page.versions}
    if not form.is_valid() or form.cleaned_data["a"] not in versions or form.cleaned_data["b"] not in versions:
        context: dict[str, object] = {"writing": writing, "error": _("请选择两个已提交的稿次。")}
    else:
        a, b = versions[form.cleaned_data["a"]], versions[form.cleaned_data["b"]]
        context = {"writing": writing, "diff": diff_texts(a.text, b.text), "diff_a": a, "diff_b": b}
    if request.headers.get("HX-Request"):
        return render(request, "writings/_diff.html", context)
    return render(request, "writings/diff.html", context | {"page": page})


def _review(request: HttpRequest, writing_id: int, decision: str) -> HttpResponse:
    writing = get_writing_for_reviewer(request.user, writing_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("审阅表单不完整，请刷新页面后重试。"))
        return redirect("writings:detail", writing_id=writing.pk)
    act = services.return_writing if decision == "return" else services.accept_writing
    try:
        act(
            writing=writing,
            by=request.user,
            version_number=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("writings:detail", writing_id=writing.pk)
    writing.refresh_from_db()
    messages.success(request, _status_message(writing))
    # The reviewer goes on with the next piece waiting for them, and back to the queue when none is left.
    following = selectors.next_in_queue(request.user, writing.campaign, after=writing)
    if following is not None:
        return redirect("writings:detail", writing_id=following.pk)
    messages.info(request, _("没有等待你审阅的文稿了。"))
    return redirect("writings:queue", campaign_id=writing.campaign_id)


def _status_message(writing: Writing) -> str:
    if writing.status == Writing.Status.RETURNED:
        return _("已退回，作者会看到你的意见。")
    if writing.status == Writing.Status.ACCEPTED:
        return _("已审阅通过。")
    return _("已记录你的审阅意见；领导干部的党性分析材料还需督导组审阅。")


@login_required
@require_POST
def return_writing(request: HttpRequest, writing_id: int) -> HttpResponse:
    return _review(request, writing_id, "return")


@login_required
@require_POST
def accept_writing(request: HttpRequest, writing_id: int) -> HttpResponse:
    return _review(request, writing_id, "accept")


def _export_scope(request: HttpRequest, campaign_id: int) -> tuple[Campaign, WorkItem | None, str]:
    campaign = get_campaign_for_user(request.user, campaign_id, Cap.REVIEW_WRITINGS)
    item_id = request.GET.get("item", "")
    item = _writing_item(campaign, int(item_id)) if item_id.isdigit() else None
    if item_id and item is None:
        raise Http404  # not a writing item of this campaign
    name = f"{campaign.org.name}{item.name if item else _('文稿')}"
    return campaign, item, name


@login_required
@require_GET
def export_docx(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign, item, name = _export_scope(request, campaign_id)
    writings = list(selectors.accepted_writings(campaign, item))
    if not writings:
        messages.info(request, _("还没有审阅通过的文稿，无可导出。"))
        return redirect("writings:campaign", campaign_id=campaign.pk)
    data = exports.collection_docx(campaign.org, _("%(name)s汇编") % {"name": name}, writings)
    return attachment(data, f"{name}汇编.docx", DOCX)


@login_required
@require_GET
def export_zip(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign, item, name = _export_scope(request, campaign_id)
    writings = list(selectors.accepted_writings(campaign, item))
    if not writings:
        messages.info(request, _("还没有审阅通过的文稿，无可导出。"))
        return redirect("writings:campaign", campaign_id=campaign.pk)
    return attachment(exports.zip_of_docx(writings), f"{name}.zip", ZIP)


@login_required
@require_GET
def export_xlsx(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign, item, name = _export_scope(request, campaign_id)
    title = _("%(name)s统计") % {"name": name}
    data = exports.tally_xlsx(title, selectors.tally(campaign, request.user, item))
    return attachment(data, f"{title}.xlsx", XLSX)
