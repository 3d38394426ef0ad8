from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from pingyi.core.forms import BootstrapForm
from pingyi.org.models import OrgType, OrgUnit

from .models import (
    CORRECTION_LABELS,
    DEFAULT_GRADES,
    FAILED_LABEL,
    MIN_RATERS_FLOOR,
    PLAIN_LABEL,
    EvaluationRound,
    NoticeScope,
    RaterSource,
    RoundMember,
)

_SPLIT = re.compile(r"[\n,，、;；]+")
SUGGESTED_DIMENSIONS = "理想信念、政治理论、纪律规矩、清正廉洁、服务群众、先锋模范"


def _split(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


class RoundForm(BootstrapForm):
    title = forms.CharField(label=_("测评名称"), max_length=120)
    org = forms.ModelChoiceField(label=_("党组织"), queryset=OrgUnit.objects.none(), empty_label=None)
    grades = forms.CharField(label=_("等次（从高到低，用顿号分隔）"), initial="、".join(DEFAULT_GRADES))
    dimensions = forms.CharField(
        label=_("测评项目（可不填）"),
        required=False,
        help_text=_(
            "如：%(example)s。不填就只评总体等次。填写后每个项目可另评等次（纸质票也要逐项录入），"
            "结果按同样的最少测评人数规则显示在支委会评定页和本人的书面反馈中。"
        )
        % {"example": SUGGESTED_DIMENSIONS},
    )
    weight_self = forms.IntegerField(label=_("个人讲评权重（%）"), min_value=0, max_value=100, initial=10)
    weight_members = forms.IntegerField(label=_("党员互评权重（%）"), min_value=0, max_value=100, initial=60)
    weight_public = forms.IntegerField(label=_("群众参评权重（%）"), min_value=0, max_value=100, initial=30)
    allow_public = forms.BooleanField(label=_("开展群众参评（发放一次性测评码）"), required=False, initial=True)
    top_cap_num = forms.IntegerField(label=_("最高等次比例：分子"), min_value=0, initial=1)
    top_cap_den = forms.IntegerField(label=_("分母"), min_value=1, initial=3)
    min_raters = forms.IntegerField(
        label=_("最少测评人数"),
        min_value=MIN_RATERS_FLOOR,
        initial=MIN_RATERS_FLOOR,
        help_text=_("某一来源对某名党员的测评人数少于此数时，不显示该来源的结果。不能少于 5 人。"),
    )
    participation_target = forms.IntegerField(label=_("参评率目标（%）"), min_value=0, max_value=100, initial=95)
    review_thresholds = forms.CharField(
        label=_("提交支委会研究的条件"),
        required=False,
        initial="不合格 20",
        help_text=_("每行一个：等次 比例，如“不合格 20”表示该等次综合占比达到 20% 时提交支委会研究。"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, orgs: Iterable[OrgUnit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org"]).queryset = OrgUnit.objects.filter(pk__in=[o.pk for o in orgs])

    @classmethod
    def initial_for(cls, round: EvaluationRound) -> dict[str, Any]:
        return {
            "title": round.title,
            "org": round.org_id,
            "grades": "、".join(round.grades),
            "dimensions": "、".join(round.dimensions),
            "weight_self": round.weight_self,
            "weight_members": round.weight_members,
            "weight_public": round.weight_public,
            "allow_public": round.allow_public,
            "top_cap_num": round.top_cap_num,
            "top_cap_den": round.top_cap_den,
            "min_raters": round.min_raters,
            "participation_target": round.participation_target,
            "review_thresholds": "\n".join(f"{k} {v}" for k, v in round.review_thresholds.items()),
        }

    def clean_grades(self) -> list[str]:
        return _split(self.cleaned_data["grades"])

    def clean_dimensions(self) -> list[str]:
        return _split(self.cleaned_data["dimensions"])

    def clean_review_thresholds(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for line in (self.cleaned_data["review_thresholds"] or "").splitlines():
            if not line.strip():
                continue
            match = re.fullmatch(r"\s*(\S+)\s+(\d+)\s*%?\s*", line)
            if not match:
                raise forms.ValidationError(
                    _("“%(line)s”的格式不对，应为“等次 比例”，如“不合格 20”。") % {"line": line}
                )
            found[match.group(1)] = int(match.group(2))
        return found

    def terms(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("title")
        data.pop("org")
        return data


def branch_choices(root: OrgUnit) -> list[OrgUnit]:
    """Where a round can be held: the campaign's node or a branch below it."""
    below = OrgUnit.objects.in_subtree(root).filter(type__in=[OrgType.BRANCH, OrgType.GENERAL_BRANCH])
    return [root, *below.exclude(pk=root.pk)]


def parse_ballot(
    data: Mapping[str, Any], subjects: Iterable[int], dimensions: int
) -> tuple[dict[int, int | None], dict[tuple[int, int], int | None]]:
    """Read `g-<member>` (overall) and `d-<member>-<dimension>` radio values; absent or bad values are None."""

    def number(key: str) -> int | None:
        value = data.get(key, "")
        return int(value) if str(value).isdigit() else None

    grades: dict[int, int | None] = {}
    dims: dict[tuple[int, int], int | None] = {}
    for subject in subjects:
        grades[subject] = number(f"g-{subject}")
        for dim in range(1, dimensions + 1):
            dims[(subject, dim)] = number(f"d-{subject}-{dim}")
    return grades, dims


class SelfAssessmentForm(BootstrapForm):
    text = forms.CharField(label=_("个人讲评"), widget=forms.Textarea(attrs={"rows": 10}), max_length=5000)
    grade = forms.TypedChoiceField(
        label=_("自评等次"), coerce=int, widget=forms.RadioSelect, required=False, empty_value=None
    )
    # The page's autosaves are stamped (pingyi/evaluation/static/evaluation/self_assess.js).
    seq = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    client = forms.CharField(required=False, widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args: Any, round: EvaluationRound, graded: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if graded:
            cast(forms.ChoiceField, self.fields["grade"]).choices = list(enumerate(round.grades))
            self.fields["grade"].required = True
        else:
            del self.fields["grade"]


class SelfAssessmentDraftForm(SelfAssessmentForm):
    """An autosave: whatever is written so far, nothing required yet."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class CodesForm(BootstrapForm):
    count = forms.IntegerField(label=_("张数"), min_value=1, max_value=500, initial=30)


class ExclusionForm(BootstrapForm):
    member = forms.ModelChoiceField(label=_("党员"), queryset=RoundMember.objects.none())
    reason = forms.CharField(
        label=_("原因"), max_length=200, help_text=_("如：身患重病、出国出境或外出半年以上未转组织关系、长期卧床。")
    )

    def __init__(self, *args: Any, round: EvaluationRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = round.members.select_related("person")


class PaperVotedForm(BootstrapForm):
    members = forms.ModelMultipleChoiceField(
        label=_("已交纸质票的党员"), queryset=RoundMember.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, round: EvaluationRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["members"]).queryset = round.members.filter(
            participations=None
        ).select_related("person")


class BatchForm(BootstrapForm):
    source = forms.ChoiceField(label=_("来源"), choices=[(RaterSource.MEMBERS, RaterSource.MEMBERS.label)])
    ballots = forms.IntegerField(label=_("本批票数"), min_value=1)

    def __init__(self, *args: Any, round: EvaluationRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if round.allow_public:
            cast(forms.ChoiceField, self.fields["source"]).choices = [
                (s.value, s.label) for s in (RaterSource.MEMBERS, RaterSource.PUBLIC)
            ]


class DecisionForm(BootstrapForm):
    grade = forms.TypedChoiceField(label=_("等次"), coerce=int, widget=forms.RadioSelect)
    opinion = forms.CharField(label=_("评议意见"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    record_notes = forms.CharField(
        label=_("一贯表现"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    correct_by = forms.DateField(
        label=_("限期改正至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("评为不合格的，进行教育帮助，限期改正，期限不超过一年；其他等次不填。"),
    )
    change_reason = forms.CharField(label=_("变更理由"), required=False, max_length=500)

    def __init__(self, *args: Any, member: RoundMember, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if member.graded:
            cast(forms.ChoiceField, self.fields["grade"]).choices = list(enumerate(member.round.grades))
            if FAILED_LABEL not in member.round.grades:
                del self.fields["correct_by"]
        else:
            del self.fields["grade"]
            del self.fields["correct_by"]
        if not hasattr(member, "decision"):
            del self.fields["change_reason"]


class RemainingForm(BootstrapForm):
    """The plain cases at once: the chosen members still undecided, one grade, one opinion and reason."""

    members = forms.ModelMultipleChoiceField(
        label=_("一并评定的党员"), queryset=RoundMember.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    grade = forms.TypedChoiceField(label=_("等次"), coerce=int)
    opinion = forms.CharField(
        label=_("评议意见"),
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("如：理想信念坚定，能够履行党员义务。")}),
        max_length=5000,
    )
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("如：测评结果与一贯表现一致。")}),
        max_length=5000,
    )

    def __init__(
        self,
        *args: Any,
        round: EvaluationRound,
        undecided: Iterable[RoundMember],
        flagged: Iterable[int] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        undecided, flagged = list(undecided), set(flagged)
        members = cast(forms.ModelMultipleChoiceField, self.fields["members"])
        members.queryset = (
            RoundMember.objects.filter(pk__in=[m.pk for m in undecided])
            .select_related("person")
            .order_by("person__org__path", "person_id")
        )

        def label(member: RoundMember) -> str:
            if member.pk in flagged:
                return _("%(name)s（达到提交支委会研究的条件）") % {"name": member.person.name}
            if not member.graded:
                return _("%(name)s（预备党员，不评定等次）") % {"name": member.person.name}
            return member.person.name

        members.label_from_instance = label  # type: ignore[method-assign,assignment]
        plain = [(i, label) for i, label in enumerate(round.grades) if label not in CORRECTION_LABELS]
        cast(forms.ChoiceField, self.fields["grade"]).choices = plain
        self.fields["grade"].initial = round.grades.index(PLAIN_LABEL) if PLAIN_LABEL in round.grades else plain[-1][0]


class NoticeForm(BootstrapForm):
    scope = forms.ChoiceField(label=_("通报范围"), choices=NoticeScope.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("标题"), max_length=120, required=False)
    remarks = forms.CharField(
        label=_("补充说明"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    correction = forms.CharField(
        label=_("再次发布的原因"),
        required=False,
        max_length=500,
        help_text=_("所选范围已有通报时必填：新通报替代原通报，原通报保留并注明已被替代。"),
    )


class CloseForm(BootstrapForm):
    """Shown when participation is below the target: closing then needs a tick and a reason."""

    below_target_confirmed = forms.BooleanField(label=_("确认在参评率未达目标的情况下结束测评"), required=False)
    shortfall_reason = forms.CharField(
        label=_("原因"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：多名党员长期外出、联系不上，已多次督促。原因将记入审计日志，并在通报中写明。"),
    )
