"""What every app's forms share: Bootstrap classes on the widgets, Chinese labels without a Latin colon,
and the instance an edit form works on."""

import copy
from typing import Any, TypeVar

from django import forms
from django.db import models

M = TypeVar("M", bound=models.Model)


def bootstrap(form: forms.BaseForm) -> None:
    """Give each widget its Bootstrap class (unless it sets one), so templates render fields as they are."""
    form.label_suffix = ""  # a Latin colon after a Chinese label reads wrong; the label stands alone
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):  # CheckboxSelectMultiple is a RadioSelect
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class BootstrapForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class BootstrapModelForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


def edit_instance(obj: M) -> M:
    """The instance to give a ModelForm that edits `obj`: a copy.

    Validating a ModelForm writes the submitted values into its instance; the service that saves the
    edit takes `**form.cleaned_data` and the object as stored, so it can tell what changed (docs/apps.md).
    """
    return copy.copy(obj)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (`<input type=file multiple>`): cleaned to a list, empty when none."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []
