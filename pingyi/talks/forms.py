from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingyi.core.forms import bootstrap
from pingyi.org.models import Person

from .models import PeopleSet, SameGroup
from .services import SUMMARY_MAX

if TYPE_CHECKING:
    from pingyi.opinions.models import OpinionRound


class PeopleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class TalkForm(forms.Form):
    held_on = forms.DateField(
        label=gettext_lazy("谈话日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    side_a = PeopleField(label=gettext_lazy("谈话人"), queryset=Person.objects.none())
    side_b = PeopleField(label=gettext_lazy("谈话对象"), queryset=Person.objects.none())
    topic = forms.CharField(label=gettext_lazy("谈话主题"), max_length=120)
    summary = forms.CharField(
        label=gettext_lazy("谈话摘要"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("只有谈话双方和支部书记能看到。"),
    )
    round: forms.ModelChoiceField[OpinionRound] = forms.ModelChoiceField(
        label=gettext_lazy("意见转入"), queryset=None, required=False
    )
    without_round = forms.BooleanField(label=gettext_lazy("不转入征求意见，意见只保存在本次谈话记录中"), required=False)

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        rounds: QuerySet[OpinionRound],
        me: Person | None,
        earliest: date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.me, self.earliest = me, earliest
        for name in ("side_a", "side_b"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = people
        if me is not None:  # a member records their own talk: they are the one talking
            del self.fields["side_a"]
        round_field = self.fields["round"]
        assert isinstance(round_field, forms.ModelChoiceField)
        round_field.queryset = rounds
        round_field.empty_label = _("（不转入）")
        self.rounds_exist = rounds.exists()
        bootstrap(self)

    def clean_held_on(self) -> Any:
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("谈话日期不能晚于今天。"))
        if held_on < self.earliest:  # it would be stored but never counted: say so now
            raise forms.ValidationError(
                _("本活动只统计%(date)s以后的谈话，请核对日期。")
                % {"date": date_format(self.earliest, "SHORT_DATE_FORMAT")}
            )
        return held_on

    def side_a_people(self) -> list[Person]:
        return [self.me] if self.me is not None else list(self.cleaned_data.get("side_a") or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        side_b = data.get("side_b") or []
        if {p.pk for p in self.side_a_people()} & {p.pk for p in side_b}:
            self.add_error("side_b", _("同一人不能既是谈话人又是谈话对象。"))
        return data

    def check_round(self, has_opinions: bool) -> bool:
        """Opinions raised need a round to go to, or an explicit choice to keep them here only."""
        if not has_opinions or self.cleaned_data.get("round") or self.cleaned_data.get("without_round"):
            return True
        if self.rounds_exist:
            self.add_error("round", _("请选择意见转入哪一次征求意见，或勾选“不转入征求意见”。"))
        else:
            self.add_error(
                "without_round",
                _("本活动还没有开展征求意见，谈话中提出的意见暂时无法转入。勾选此项后意见只保存在本次谈话记录中。"),
            )
        return False


class RaisedOpinionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("提出的意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    concerns_person = forms.ModelChoiceField(
        label=gettext_lazy("涉及人员"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["concerns_person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people
        field.label_from_instance = lambda obj: obj.name  # type: ignore[method-assign]
        field.empty_label = _("（不涉及具体人员）")
        bootstrap(self)


RaisedOpinionFormSet = forms.formset_factory(RaisedOpinionForm, extra=3, max_num=10, absolute_max=10)


class TalkRequirementForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("规则名称"), max_length=60)
    left = forms.ChoiceField(
        label=gettext_lazy("一方"), choices=[c for c in PeopleSet.choices if c[0] != PeopleSet.CHARGE]
    )
    right = forms.ChoiceField(label=gettext_lazy("另一方"), choices=PeopleSet.choices)
    same_group = forms.ChoiceField(label=gettext_lazy("范围"), choices=SameGroup.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
