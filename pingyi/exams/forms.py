from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import WorkItem
from pingyi.core.forms import BootstrapForm, bootstrap

from .models import Kind, Paper, QuestionBank

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BankForm(BootstrapForm):
    name = forms.CharField(label=_("题库名称"), max_length=80)


class ImportForm(BootstrapForm):
    FORMAT_CHOICES = [("", _("按文件判断")), ("xlsx", _("Excel 模板")), ("aiken", "Aiken"), ("gift", "GIFT")]
    file = forms.FileField(label=_("试题文件"), help_text=_(".xlsx 模板、Aiken 或 GIFT 文本"))
    fmt = forms.ChoiceField(label=_("格式"), choices=FORMAT_CHOICES, required=False)


class PaperForm(BootstrapForm):
    title = forms.CharField(label=_("试卷名称"), max_length=100)
    code = forms.SlugField(label=_("代码"), max_length=40, help_text=_("活动模板里引用的代码，例如 hundred-questions"))
    bank = forms.ModelChoiceField(label=_("题库"), queryset=QuestionBank.objects.none())
    per_member = forms.BooleanField(label=_("每人抽题不同"), required=False, initial=True)
    shuffle_questions = forms.BooleanField(label=_("打乱题目顺序"), required=False, initial=True)
    shuffle_options = forms.BooleanField(label=_("打乱选项顺序"), required=False, initial=True)
    pass_mark = forms.IntegerField(label=_("及格分"), min_value=0, max_value=1000, initial=60)

    def __init__(self, *args: Any, banks: QuerySet[QuestionBank], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = banks  # type: ignore[attr-defined]


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("题型"), choices=[("", "—"), *Kind.choices], required=False)
    tag = forms.CharField(label=_("标签"), max_length=40, required=False)
    count = forms.IntegerField(label=_("题数"), min_value=0, max_value=200, required=False)
    points = forms.IntegerField(label=_("每题分值"), min_value=1, max_value=100, required=False, initial=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


RuleFormSet = forms.formset_factory(RuleForm, extra=5, max_num=10)
DEFAULT_RULES = [
    {"kind": Kind.TRUE_FALSE, "count": 20, "points": 1},
    {"kind": Kind.SINGLE, "count": 40, "points": 1},
    {"kind": Kind.MULTIPLE, "count": 20, "points": 1},
    {"kind": Kind.FILL, "count": 20, "points": 1},
]  # the default paper: 100 questions, 100 points


class SittingForm(BootstrapForm):
    paper = forms.ModelChoiceField(label=_("试卷"), queryset=Paper.objects.none())
    work_item = forms.ModelChoiceField(label=_("计入工作事项"), queryset=WorkItem.objects.none(), required=False)
    title = forms.CharField(label=_("名称"), max_length=100, required=False)
    opens_at = forms.DateTimeField(label=_("开始时间"), widget=LOCAL)
    closes_at = forms.DateTimeField(label=_("结束时间"), widget=LOCAL)
    time_limit = forms.IntegerField(label=_("答题时限（分钟）"), min_value=1, max_value=600, initial=90)

    def __init__(self, *args: Any, papers: QuerySet[Paper], items: QuerySet[WorkItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paper"].queryset = papers  # type: ignore[attr-defined]
        self.fields["work_item"].queryset = items  # type: ignore[attr-defined]
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["opens_at"].initial = now
        self.fields["closes_at"].initial = now + timedelta(days=7)


class MakeupForm(BootstrapForm):
    opens_at = forms.DateTimeField(label=_("开始时间"), widget=LOCAL)
    closes_at = forms.DateTimeField(label=_("结束时间"), widget=LOCAL)
    time_limit = forms.IntegerField(label=_("答题时限（分钟）"), min_value=1, max_value=600, initial=90)


class GradeForm(BootstrapForm):
    points = forms.IntegerField(label=_("得分"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("评语"), max_length=300, required=False)
