from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import COMPARISONS, SECTIONS, Writing
from .text import MAX_CHARS, MAX_UPLOAD_BYTES


class DraftForm(forms.Form):
    """The editor. Nothing is required while drafting: completeness is checked on submit (services)."""

    title = forms.CharField(label=gettext_lazy("标题"), max_length=120, required=False)
    seq = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    client = forms.CharField(required=False, widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args: Any, writing: Writing, **kwargs: Any) -> None:
        self.writing = writing
        kwargs.setdefault(
            "initial",
            {"title": writing.title, "text": writing.text}
            | {key: writing.sections.get(key, "") for key, _label in SECTIONS}
            | {f"cmp_{key}": writing.comparisons.get(key, {}).get("checked", False) for key, _label in COMPARISONS}
            | {f"cmp_{key}_note": writing.comparisons.get(key, {}).get("note", "") for key, _label in COMPARISONS},
        )
        super().__init__(*args, **kwargs)
        area = {"class": "form-control count-me", "rows": 12}
        if writing.is_self_analysis:
            for key, label in SECTIONS:
                self.fields[key] = forms.CharField(
                    label=label, required=False, max_length=MAX_CHARS, widget=forms.Textarea(attrs=area | {"rows": 8})
                )
            for key, label in COMPARISONS:
                self.fields[f"cmp_{key}"] = forms.BooleanField(label=label, required=False)
                self.fields[f"cmp_{key}_note"] = forms.CharField(
                    label=gettext_lazy("简要说明"), max_length=200, required=False
                )
        else:
            self.fields["text"] = forms.CharField(
                label=gettext_lazy("正文"), required=False, max_length=MAX_CHARS, widget=forms.Textarea(attrs=area)
            )

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        if not self.writing.is_self_analysis:
            return {"title": data["title"], "text": data["text"]}
        return {
            "title": data["title"],
            "sections": {key: data[key] for key, _label in SECTIONS},
            "comparisons": {
                key: {"checked": data[f"cmp_{key}"], "note": data[f"cmp_{key}_note"]} for key, _label in COMPARISONS
            },
        }

    def section_fields(self) -> list[Any]:
        return [self[key] for key, _label in SECTIONS]

    def comparison_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"cmp_{key}"], self[f"cmp_{key}_note"]) for key, _label in COMPARISONS]


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("上传文件（.docx 或 .txt）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("文件里的文字会替换当前草稿的正文，不超过 %(max)d MB。") % {
            "max": MAX_UPLOAD_BYTES // 2**20
        }


class StartForm(forms.Form):
    work_item = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(
        label=gettext_lazy("审阅意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=gettext_lazy("退回时必须填写；通过时可不填。"),
    )


class DiffForm(forms.Form):
    a = forms.IntegerField(min_value=1)
    b = forms.IntegerField(min_value=1)
