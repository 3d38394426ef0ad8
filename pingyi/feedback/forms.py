from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pingyi.core.forms import BootstrapForm


class FeedbackForm(BootstrapForm):
    strengths = forms.CharField(label=_("做得好的方面"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    problems = forms.CharField(label=_("存在的问题"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    direction = forms.CharField(label=_("整改方向"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
