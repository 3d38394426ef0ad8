from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingyi.core.forms import bootstrap
from pingyi.org.models import Person
from pingyi.talks.forms import PeopleField

from .models import Attendee, Kind
from .services import Plan

if TYPE_CHECKING:
    from pingyi.opinions.models import OpinionRound


class NamedPersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


DEFAULT_AGENDA = {
    Kind.ORGANISATIONAL: gettext_lazy(
        "1. 通报征求意见和谈心谈话情况\n2. 党员逐一宣读党性分析材料，开展批评和自我批评\n3. 明确整改措施"
    ),
    Kind.DEMOCRATIC: gettext_lazy(
        "1. 通报征求意见情况和上次民主生活会整改落实情况\n"
        "2. 班子成员逐一对照检查，开展批评和自我批评\n3. 督导组点评\n4. 明确整改措施"
    ),
}


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("会议类型"), choices=Kind.choices, widget=forms.RadioSelect)
    theme = forms.CharField(label=gettext_lazy("会议主题"), max_length=200)
    held_on = forms.DateField(
        label=gettext_lazy("会议日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    starts_at = forms.TimeField(
        label=gettext_lazy("开始时间"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(label=gettext_lazy("地点"), max_length=100, required=False)
    chair = NamedPersonChoice(label=gettext_lazy("主持人"), queryset=Person.objects.none(), required=False)
    recorder = NamedPersonChoice(label=gettext_lazy("记录人"), queryset=Person.objects.none(), required=False)
    agenda = forms.CharField(label=gettext_lazy("会议议程"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    attendees = PeopleField(label=gettext_lazy("参会人员"), queryset=Person.objects.none())
    supervisors = PeopleField(label=gettext_lazy("上级列席（督导组）"), queryset=Person.objects.none(), required=False)
    opinion_round: forms.ModelChoiceField[OpinionRound] = forms.ModelChoiceField(
        label=gettext_lazy("批评意见转入征求意见"), queryset=None, required=False
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        supervisors: QuerySet[Person],
        rounds: QuerySet[OpinionRound],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (
            ("chair", people),
            ("recorder", people),
            ("attendees", people),
            ("supervisors", supervisors),
            ("opinion_round", rounds),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        round_field = self.fields["opinion_round"]
        assert isinstance(round_field, forms.ModelChoiceField)
        round_field.empty_label = _("（不转入）")
        if not supervisors.exists():
            del self.fields["supervisors"]
        bootstrap(self)

    def plan(self) -> Plan:
        data = self.cleaned_data
        return Plan(
            kind=data["kind"],
            theme=data["theme"],
            held_on=data["held_on"],
            starts_at=data.get("starts_at"),
            place=data.get("place", ""),
            chair=data.get("chair"),
            recorder=data.get("recorder"),
            agenda=data.get("agenda", ""),
            opinion_round=data.get("opinion_round"),
        )


class AttendanceForm(forms.Form):
    """One tick and one reason per attendee; ticked = present."""

    def __init__(self, *args: Any, attendees: list[Attendee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attendees = attendees
        for a in attendees:
            self.fields[f"present_{a.pk}"] = forms.BooleanField(
                label=a.person.name, required=False, initial=a.present is not False
            )
            self.fields[f"reason_{a.pk}"] = forms.CharField(
                label=gettext_lazy("缺席原因"), max_length=100, required=False, initial=a.absence_reason
            )
        bootstrap(self)

    def rows(self) -> list[tuple[Attendee, forms.BoundField, forms.BoundField]]:
        return [(a, self[f"present_{a.pk}"], self[f"reason_{a.pk}"]) for a in self.attendees]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for a in self.attendees:
            if not data.get(f"present_{a.pk}") and not (data.get(f"reason_{a.pk}") or "").strip():
                self.add_error(f"reason_{a.pk}", _("请填写缺席原因。"))
        return data


class MemberRecordForm(forms.Form):
    self_criticism = forms.CharField(
        label=gettext_lazy("自我批评"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    response = forms.CharField(label=gettext_lazy("表态回应"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CriticismForm(forms.Form):
    critic = NamedPersonChoice(label=gettext_lazy("提出人"), queryset=Person.objects.none(), required=False)
    text = forms.CharField(
        label=gettext_lazy("批评意见"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, critics: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["critic"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = critics
        field.empty_label = _("（与会同志）")
        bootstrap(self)


class CommitmentForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("整改承诺"), max_length=500, required=False)
    due_on = forms.DateField(
        label=gettext_lazy("完成时限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


CriticismFormSet = forms.formset_factory(CriticismForm, extra=2, max_num=10, absolute_max=10)
CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=2, max_num=10, absolute_max=10)
