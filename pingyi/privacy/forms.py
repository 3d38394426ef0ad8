from django import forms
from django.utils.translation import gettext_lazy as _

from pingyi.core.forms import BootstrapForm

from .services import GROUNDS


class AnonymiseForm(BootstrapForm):
    ground = forms.ChoiceField(label=_("依据"), choices=list(GROUNDS.items()), widget=forms.RadioSelect)
    note = forms.CharField(label=_("说明（可不填）"), max_length=200, required=False)
    confirm = forms.BooleanField(label=_("我已确认：匿名化后无法恢复"))
