"""The public opinion form (no login): opened from the QR code on a poster or letter, on a phone."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import limits, services
from .forms import (
    PublicOpinionForm,
)
from .models import OpinionRound
from .permissions import (
    get_public_round,
)


@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest, opinion_round_key: str) -> HttpResponse:
    round_ = get_public_round(opinion_round_key)
    if request.method == "GET":
        form = PublicOpinionForm(round=round_, initial={"code": request.GET.get("code", "")[:20]})
        return _public_page(request, round_, form)
    if int(request.META.get("CONTENT_LENGTH") or 0) > limits.setting("OPINIONS_MAX_BODY_BYTES"):
        # Not read at all: the text is still in the sender's browser (back button).
        return _public_page(
            request, round_, None, _("提交的内容太大，没有接收。请返回上一页，把意见缩短后再提交。"), 413
        )
    form = PublicOpinionForm(request.POST, round=round_)
    if not form.is_valid():
        return _public_page(request, round_, form, status=400)
    data = form.cleaned_data
    try:
        result = services.submit_public_opinion(
            round=round_,
            address=limits.client_address(request),
            **{k: data[k] for k in ("text", "code", "topic", "source_group", "contact_name", "contact_phone")},
            submission_key=data["submission_key"],
        )
    except services.Refused as refused:
        return _public_page(request, round_, form, refused.message + _("您填写的内容仍在下方，没有丢失。"), 429)
    except ValidationError as exc:
        return _public_page(request, round_, form, exc.messages[0], 400)
    return render(request, "opinions/public_thanks.html", {"round": round_, "opinion": result.opinion})


def _public_page(
    request: HttpRequest, round_: OpinionRound, form: PublicOpinionForm | None, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "round": round_,
        "form": form,
        "error": error,
        "is_open": services.round_is_open(round_),
        "max_chars": limits.setting("OPINIONS_MAX_CHARS"),
    }
    return render(request, "opinions/public_form.html", context, status=status)
