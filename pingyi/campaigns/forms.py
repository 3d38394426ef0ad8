from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pingyi.core.forms import BootstrapForm
from pingyi.org.models import OrgUnit, Person

from .models import Audience, Campaign, CampaignTemplate, StageReview, WorkItem
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


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        """The template's name in the reader's language, when its body carries it."""
        try:
            translations = parse_template(obj.body).translations
        except ValidationError:
            return obj.name
        return (translations.get(get_language() or "") or {}).get("name") or obj.name


class CampaignForm(forms.Form):
    org = OrgChoiceField(label=_("组织"), queryset=OrgUnit.objects.none())
    template = TemplateChoiceField(label=_("活动模板"), queryset=CampaignTemplate.objects.filter(is_active=True))
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


PER_PERSON = [a for a in Audience.values if a != Audience.BRANCH]


class ExcusalForm(BootstrapForm):
    """Who the campaign does not hold to a work item, and why (shown beside their progress)."""

    person = forms.ModelChoiceField(label=_("党员"), queryset=Person.objects.none())
    work_item = forms.ModelChoiceField(
        label=_("工作事项"), queryset=WorkItem.objects.none(), required=False, empty_label=_("本次活动的全部事项")
    )
    reason = forms.CharField(label=_("原因"), max_length=200, help_text=_("例如：长期外出、年老体弱、重病"))

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field, item_field = self.fields["person"], self.fields["work_item"]
        assert isinstance(person_field, forms.ModelChoiceField) and isinstance(item_field, forms.ModelChoiceField)
        person_field.queryset = Person.objects.members().in_subtree(campaign.org).order_by("org__path", "id")
        item_field.queryset = WorkItem.objects.filter(stage__campaign=campaign, audience__in=PER_PERSON).order_by(
            "stage__order", "order"
        )
        item_field.label_from_instance = lambda item: item.label  # type: ignore[method-assign,assignment]
