from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pingyi.core.forms import BootstrapForm, MultipleFileField, bootstrap
from pingyi.org.models import OrgUnit, Person

from .models import CheckArea, Scope, Simplified

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def owner_field(org: OrgUnit) -> forms.ModelChoiceField:
    people = Person.objects.members().in_subtree(org).order_by("org__path", "id")
    return forms.ModelChoiceField(label=_("责任人"), queryset=people, required=False)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("整改事项"), max_length=200)
    detail = forms.CharField(label=_("问题表现"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    due_on = forms.DateField(label=_("完成时限"), widget=DATE, required=False)

    def __init__(self, *args: Any, org: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = owner_field(org)
        self.order_fields(["title", "detail", "owner", "measures", "due_on"])
        bootstrap(self)


class ReportForm(BootstrapForm):
    report = forms.CharField(
        label=_("整改情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("写明做了什么、结果如何。"),
    )
    attachments = MultipleFileField(label=_("佐证材料"), required=False)


class ReturnForm(BootstrapForm):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(BootstrapForm):
    scope = forms.ChoiceField(label=_("公开范围"), choices=Scope.choices)
    public_title = forms.CharField(label=_("公开标题"), max_length=200)
    public_summary = forms.CharField(
        label=_("整改结果"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写给看清单的人：改了什么。不写姓名、电话等个人信息。"),
    )


class SettingsForm(BootstrapForm):
    photo_evidence = forms.BooleanField(
        label=_("允许上传照片作为佐证"),
        required=False,
        help_text=_("默认关闭：按减负要求，不以拍照留痕衡量工作。"),
    )
    default_days = forms.IntegerField(
        label=_("整改事项默认完成时限（天）"),
        min_value=1,
        max_value=366,
        help_text=_("活动有整改提高阶段时，默认以该阶段截止日期为时限；否则从列入清单之日起算。每项都可以修改。"),
    )


class CheckForm(BootstrapForm):
    title = forms.CharField(label=_("名称"), max_length=120, initial=_("四个查一查"))


class CheckEntryForm(forms.Form):
    area = forms.ChoiceField(label=_("检查内容"), choices=CheckArea.choices)
    procedure = forms.CharField(label=_("办事程序或服务承诺"), max_length=200)
    legal_basis = forms.CharField(label=_("法律依据"), max_length=200, required=False)
    promised_days = forms.IntegerField(label=_("承诺时限（工作日）"), min_value=0, max_value=365, required=False)
    actual_days = forms.IntegerField(label=_("实际用时（工作日）"), min_value=0, max_value=365, required=False)
    simplified = forms.ChoiceField(label=_("是否简化"), choices=Simplified.choices, initial=Simplified.NO)
    finding = forms.CharField(
        label=_("发现的问题"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("有问题即列入整改清单；实际用时超过承诺时限的，自动记为问题。"),
    )
    due_on = forms.DateField(label=_("整改时限"), widget=DATE, required=False)

    def __init__(self, *args: Any, org: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = owner_field(org)
        self.order_fields([*list(self.fields)[:-2], "owner", "due_on"])
        bootstrap(self)
