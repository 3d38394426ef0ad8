from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingyi.core.attachments import ACCEPT as ATTACHMENT_ACCEPT
from pingyi.core.forms import BootstrapForm, MultipleFileField, MultipleFileInput
from pingyi.core.images import ACCEPT
from pingyi.org.models import Person

from .models import ContactKind, LiaisonKind, LiaisonPoint, VisitKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeopleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PlanForm(BootstrapForm):
    title = forms.CharField(label=_("标题"), max_length=120)
    body = forms.CharField(label=_("学习安排"), widget=forms.Textarea(attrs={"rows": 8}))
    readings = forms.CharField(
        label=_("必读篇目"), required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=_("每行一篇。")
    )
    readings_due_on = forms.DateField(label=_("必读完成时间"), required=False, widget=DATE)


class MaterialForm(BootstrapForm):
    title = forms.CharField(label=_("书籍或材料"), max_length=120)
    issued_on = forms.DateField(label=_("发放日期"), widget=DATE)
    not_received = PeopleField(
        queryset=Person.objects.none(),
        required=False,
        label=_("未领取的人（其余党员都已领取）"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    copies = MultipleFileField(
        label=_("电子版（可不传）"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT, "class": "form-control"}),
        help_text=_("PDF、Word、Excel、PPT 或图片；在外地和没领到纸质版的党员可以在“我收到的学习材料”里下载。"),
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("issued_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["not_received"].queryset = people  # type: ignore[attr-defined]


class ContactForm(BootstrapForm):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("党员"))
    kind = forms.ChoiceField(label=_("方式"), choices=ContactKind.choices, widget=forms.RadioSelect)
    contacted_on = forms.DateField(label=_("日期"), widget=DATE)
    contacted_by = forms.CharField(label=_("联系人"), max_length=50)
    result = forms.CharField(label=_("结果"), widget=forms.Textarea(attrs={"rows": 3}))
    remote = forms.BooleanField(label=_("以远程方式参加了学习"), required=False)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("contacted_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = people  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: f"{p.name}（{p.get_status_display()}）"  # type: ignore[attr-defined]


class PointForm(BootstrapForm):
    name = forms.CharField(label=_("名称"), max_length=80)
    kind = forms.ChoiceField(label=_("类型"), choices=LiaisonKind.choices)
    leaders = PeopleField(queryset=Person.objects.none(), label=_("联系领导"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = people  # type: ignore[attr-defined]


class VisitForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("类型"), choices=VisitKind.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(label=_("日期"), widget=DATE)
    people = PeopleField(queryset=Person.objects.none(), label=_("参加人员"))
    note = forms.CharField(label=_("情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people  # type: ignore[attr-defined]


class DeedForm(BootstrapForm):
    done_on = forms.DateField(label=_("日期"), widget=DATE)
    what = forms.CharField(label=_("办了什么事"), widget=forms.Textarea(attrs={"rows": 3}))
    beneficiary = forms.CharField(label=_("受益对象"), max_length=100)
    doers = PeopleField(queryset=Person.objects.none(), label=_("办事人"))
    point = forms.ModelChoiceField(queryset=LiaisonPoint.objects.none(), required=False, label=_("联系点（可不选）"))

    def __init__(
        self, *args: Any, people: QuerySet[Person], points: QuerySet[LiaisonPoint], photos: bool, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("done_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["doers"].queryset = people  # type: ignore[attr-defined]
        self.fields["point"].queryset = points  # type: ignore[attr-defined]
        if photos:  # only where the branch turned photos on; never required
            self.fields["photos"] = MultipleFileField(
                label=_("照片（可不传）"),
                required=False,
                widget=MultipleFileInput(attrs={"accept": ACCEPT, "class": "form-control"}),
                help_text=_("位置等信息会被去掉。"),
            )


class SettingsForm(BootstrapForm):
    photos = forms.BooleanField(
        label=_("为民办实事可以附照片"),
        required=False,
        help_text=_("按减负要求默认关闭：不以拍照留痕衡量工作。开启后照片也始终可以不传。"),
    )
