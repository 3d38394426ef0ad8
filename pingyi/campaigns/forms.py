from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingyi.org.models import OrgUnit

from .models import CampaignTemplate, StageReview
from .permissions import manageable_orgs
from .spec import parse_template


class CampaignTemplateAdminForm(forms.ModelForm):
    """Refuses a body that would not build a campaign, with the place of the mistake."""

    class Meta:
        model = CampaignTemplate
        fields = ["code", "name", "body", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "style": "font-family: monospace; width: 100%"})}

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        parse_template(body)
        return body


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'　' * obj.depth}{obj.name}"  # indent by depth so the list reads as the tree


class CampaignForm(forms.Form):
    org = OrgChoiceField(label=_("组织"), queryset=OrgUnit.objects.none())
    template = forms.ModelChoiceField(label=_("活动模板"), queryset=CampaignTemplate.objects.filter(is_active=True))
    title = forms.CharField(label=_("活动名称"), max_length=120, required=False, help_text=_("不填则使用模板名称"))
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["org"]
        assert isinstance(org_field, OrgChoiceField)
        org_field.queryset = manageable_orgs(user).order_by("path")
        self.fields["starts_on"].initial = timezone.localdate()

    def clean_template(self) -> CampaignTemplate:
        template = self.cleaned_data["template"]
        try:
            parse_template(template.body)
        except ValidationError as exc:
            raise ValidationError(
                _("该模板内容有误，请联系管理员修改：%(error)s") % {"error": exc.messages[0]}
            ) from exc
        return template


class StageReviewForm(forms.Form):
    rating = forms.ChoiceField(label=_("评价"), choices=StageReview.Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class LookBackNoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
