"""What every app's forms share: Bootstrap classes on the widgets, and Chinese labels without a Latin colon."""

from typing import Any

from django import forms


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
