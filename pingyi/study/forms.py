from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Stage
from pingyi.core.forms import BootstrapForm, bootstrap
from pingyi.org.models import OrgUnit, Person

from .models import Activity, ActivityKind, Audience, Confirmation, Period, Slot
from .services import Plan


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class PeopleChoice(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class StageChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.campaign.title} · {obj.label}"


class ActivityForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("活动类型"), queryset=ActivityKind.objects.all())
    title = forms.CharField(label=_("主题"), max_length=120)
    held_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts = forms.TimeField(label=_("开始"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends = forms.TimeField(label=_("结束"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    stage = StageChoice(label=_("活动阶段"), queryset=Stage.objects.none(), required=False)
    organiser = PersonChoice(label=_("组织人"), queryset=Person.objects.none(), required=False)
    lecturer = PersonChoice(label=_("讲课人"), queryset=Person.objects.none(), required=False)
    lecturer_name = forms.CharField(
        label=_("外请讲课人"), max_length=50, required=False, help_text=_("讲课人不是本支部党员时填写。")
    )
    audience = forms.ChoiceField(label=_("参加人员"), choices=Audience.choices, initial=Audience.ALL)
    group = forms.ModelChoiceField(label=_("党小组"), queryset=OrgUnit.objects.none(), required=False)
    invitees = PeopleChoice(label=_("指定人员"), queryset=Person.objects.none(), required=False)
    materials = forms.CharField(
        label=_("学习材料"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, people: QuerySet[Person], groups: QuerySet[OrgUnit], stages: QuerySet[Stage], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("organiser", "lecturer", "invitees"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["stage"].queryset = stages  # type: ignore[attr-defined]
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("结束时间要晚于开始时间。"))
        return data

    def plan(self) -> Plan:
        data = self.cleaned_data
        return Plan(
            kind=data["kind"],
            title=data["title"],
            starts_at=_at(data["held_on"], data["starts"]),
            ends_at=_at(data["held_on"], data["ends"]),
            place=data["place"],
            organiser=data["organiser"],
            lecturer=data["lecturer"],
            lecturer_name=data["lecturer_name"],
            audience=data["audience"],
            group=data["group"],
            invitees=list(data["invitees"]),
            materials=data["materials"],
            stage=data["stage"],
        )


def _at(day: Any, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def initial_of(activity: Activity) -> dict[str, Any]:
    """An activity's values for the edit form."""
    starts, ends = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
    return {
        "kind": activity.kind_id,
        "title": activity.title,
        "held_on": starts.date(),
        "starts": starts.time(),
        "ends": ends.time(),
        "place": activity.place,
        "stage": activity.stage_id,
        "organiser": activity.organiser_id,
        "lecturer": activity.lecturer_id,
        "lecturer_name": activity.lecturer_name,
        "audience": activity.audience,
        "group": activity.group_id,
        "invitees": list(activity.invitees.values_list("pk", flat=True)),
        "materials": activity.materials,
        "minutes": activity.minutes,
    }


class EditForm(ActivityForm):
    minutes = forms.CharField(
        label=_("活动记录"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("请假原因"), max_length=100, required=False)


class MakeUpForm(BootstrapForm):
    what = forms.CharField(label=_("补学内容"), max_length=200)
    studied_on = forms.DateField(label=_("补学日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    confirmed_how = forms.ChoiceField(label=_("确认方式"), choices=Confirmation.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class SettingsForm(BootstrapForm):
    self_checkin = forms.BooleanField(
        label=_("允许党员扫码签到"),
        required=False,
        help_text=_("默认关闭：按减负要求不强制打卡。开启后，会场屏幕显示每30秒更换的签到二维码。"),
    )
    photos = forms.BooleanField(
        label=_("允许上传活动照片"), required=False, help_text=_("默认关闭，照片从不作为必填。")
    )
    hours_required = forms.IntegerField(label=_("每年学习时长要求（小时）"), min_value=1, max_value=200)


NOT_REQUIRED = ""


class CadenceForm(BootstrapForm):
    """A branch's 三会一课: for each slot, how often (or not required) and how many times a period."""

    def __init__(self, *args: Any, current: list[tuple[str, str, int]], **kwargs: Any) -> None:
        held = {slot: (period, count) for slot, period, count in current}
        initial: dict[str, Any] = {}
        for slot, _label in SLOTS:
            period, count = held.get(slot, (NOT_REQUIRED, 1))
            initial[f"{slot}_period"], initial[f"{slot}_count"] = period, count
        super().__init__(*args, initial=initial, **kwargs)

    def lines(self) -> list[tuple[str, str, int]]:
        """(slot, period, times a period) of the slots required."""
        data = self.cleaned_data
        return [
            (slot, data[f"{slot}_period"], data[f"{slot}_count"])
            for slot, _label in SLOTS
            if data[f"{slot}_period"] != NOT_REQUIRED
        ]

    def slot_fields(self) -> list[tuple[str, Any, Any]]:
        return [(str(label), self[f"{slot}_period"], self[f"{slot}_count"]) for slot, label in SLOTS]


SLOTS = [(slot, label) for slot, label in Slot.choices if slot]
for _slot, _label in SLOTS:
    CadenceForm.base_fields[f"{_slot}_period"] = forms.ChoiceField(
        label=_("频次"), choices=[(NOT_REQUIRED, _("不要求")), *Period.choices], required=False
    )
    CadenceForm.base_fields[f"{_slot}_count"] = forms.IntegerField(
        label=_("每期次数"), min_value=1, max_value=31, initial=1
    )
