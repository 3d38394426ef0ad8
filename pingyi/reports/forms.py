from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pingyi.core.forms import BootstrapForm, bootstrap

from .summary import Section


class SummaryForm(BootstrapForm):
    """The secretary's own words under each section of the drafted summary (the record's sentences stay as drafted)."""

    def __init__(self, *args: Any, sections: list[Section], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in sections:
            self.fields[section.key] = forms.CharField(
                label=section.title,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("补充成效、体会和下一步打算；上面的数字来自系统记录，不在这里修改。"),
            )
        self.order_fields([s.key for s in sections])
        bootstrap(self)  # the fields were added after BootstrapForm styled the (empty) form
