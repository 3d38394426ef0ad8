from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingyi.core.citizen_id import clean_phone
from pingyi.core.forms import BootstrapForm, BootstrapModelForm
from pingyi.org.models import OrgUnit, Person, PersonKind

from . import limits
from .models import STAFF_CHANNELS, Category, Invitee, Opinion, OpinionRound, Symposium, TargetGroup, Topic


def _people(org: OrgUnit) -> Any:
    return Person.objects.in_subtree(org).exclude(kind=PersonKind.CONTACT).order_by("org__path", "id")


class PersonChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class OpinionChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return f"#{obj.pk} {obj.text[:60]}"


class ContactChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.affiliation}（{obj.name}）"


class RoundForm(BootstrapModelForm):
    audiences = forms.MultipleChoiceField(
        label=_("征求对象"), choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    topics = forms.MultipleChoiceField(
        label=_("征求内容"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = OpinionRound
        fields = ["title", "intro", "audiences", "topics", "closes_on", "accepts_public", "requires_code"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_closes_on(self) -> Any:
        closes = self.cleaned_data.get("closes_on")
        if closes and closes < timezone.localdate() and self.instance.pk is None:
            raise ValidationError(_("截止日期不能早于今天"))
        return closes


class PublicOpinionForm(BootstrapForm):
    """The form a member of the public fills in on a phone. Nothing about the sender is required."""

    text = forms.CharField(label=_("您的意见和建议"), widget=forms.Textarea(attrs={"rows": 6}))
    topic = forms.ChoiceField(label=_("意见涉及"), required=False)
    source_group = forms.ChoiceField(
        label=_("您的身份（可不填）"), required=False, choices=[("", _("不说明")), *TargetGroup.choices]
    )
    give_contact = forms.BooleanField(label=_("我愿意留下称呼和电话，以便答复我"), required=False)
    contact_name = forms.CharField(label=_("称呼"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    code = forms.CharField(label=_("邀请码"), max_length=20, required=False)
    # The honeypot: hidden from people, filled in by form-filling robots.
    website = forms.CharField(label=_("如果您是人，请不要填写这一栏"), required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args: Any, round: OpinionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round
        topics: list[tuple[str, Any]] = [(t, Topic(t).label) for t in round.topics if t in Topic.values]
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)
        topic.choices = [("", _("不确定")), *(topics or Topic.choices)]
        self.fields["code"].required = round.requires_code
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        most = limits.setting("OPINIONS_MAX_CHARS")
        if len(text) > most:
            raise ValidationError(
                _("意见内容不能超过%(most)d字（现在是%(count)d字），请删减后再提交。"),
                params={"most": most, "count": len(text)},
            )
        return text

    def clean_submission_key(self) -> str:
        key = self.cleaned_data.get("submission_key", "")
        return key if re.fullmatch(r"[0-9a-f]{32}", key) else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise ValidationError(
                _("“请不要填写”一栏有内容，系统把这次提交当作自动程序，没有接收。请清空该栏后再提交。")
            )
        if data.get("give_contact"):
            phone = data.get("contact_phone", "")
            if phone:
                try:
                    data["contact_phone"] = clean_phone(phone)
                except ValidationError as exc:
                    self.add_error("contact_phone", exc)
        else:  # ticked off again: whatever was typed there is not kept
            data["contact_name"] = data["contact_phone"] = ""
        return data


class StaffOpinionForm(BootstrapModelForm):
    """A paper form, a letter's reply or a note typed in by the office."""

    invitee = forms.ModelChoiceField(label=_("来自征求对象"), queryset=Invitee.objects.none(), required=False)

    class Meta:
        model = Opinion
        fields = ["channel", "text", "invitee", "source_group", "source_name", "topic", "concerns_unit"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, round: OpinionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = [(c.value, c.label) for c in STAFF_CHANNELS]
        invitee = self.fields["invitee"]
        assert isinstance(invitee, forms.ModelChoiceField)
        invitee.queryset = round.invitees.all()
        self.fields["source_name"].help_text = _("选了征求对象就不必再填")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        invitee = data.get("invitee")
        if invitee is not None:
            data["source_name"] = data.get("source_name") or invitee.name
            data["source_group"] = data.get("source_group") or invitee.group
        return data


class CategoriseForm(BootstrapForm):
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.all(), required=False)
    topic = forms.ChoiceField(label=_("内容类别"), choices=[("", "—"), *Topic.choices], required=False)
    concerns_person = forms.ModelChoiceField(label=_("涉及人员"), queryset=Person.objects.none(), required=False)
    concerns_unit = forms.CharField(label=_("涉及单位或事项"), max_length=120, required=False)

    def __init__(self, *args: Any, round: OpinionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["concerns_person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = _people(round.org)


class AnswerForm(BootstrapForm):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    decline = forms.BooleanField(
        label=_("不予采纳"), required=False, help_text=_("勾选后，上面写的是不予采纳的理由，也会答复提出人。")
    )


class MergeForm(BootstrapForm):
    duplicates = OpinionChoices(label=_("并入本条的重复意见"), queryset=Opinion.objects.none())

    def __init__(self, *args: Any, opinion: Opinion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        duplicates = self.fields["duplicates"]
        assert isinstance(duplicates, forms.ModelMultipleChoiceField)
        duplicates.queryset = (
            Opinion.objects.filter(round_id=opinion.round_id).exclude(pk=opinion.pk).exclude(status="merged")
        )


class InviteesForm(BootstrapForm):
    contacts = ContactChoices(label=_("从联系人中选择"), queryset=Person.objects.none(), required=False)
    lines = forms.CharField(
        label=_("其他单位"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一个：单位名称，后面可加空格和联系人"),
    )
    group = forms.ChoiceField(label=_("这些单位属于"), choices=TargetGroup.choices, initial=TargetGroup.EMPLOYER)

    def __init__(self, *args: Any, round: OpinionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contacts = self.fields["contacts"]
        assert isinstance(contacts, forms.ModelMultipleChoiceField)
        # Contacts are kept on the branch or on the body it belongs to (e.g. the bureau).
        scope = round.org.parent or round.org
        contacts.queryset = (
            Person.objects.in_subtree(scope).filter(kind=PersonKind.CONTACT).exclude(affiliation="").order_by("id")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("contacts") and not (data.get("lines") or "").strip():
            raise ValidationError(_("请选择联系人或填写单位名称"))
        return data


class SymposiumForm(BootstrapModelForm):
    hosts = PersonChoices(label=_("主持和参加的领导、党员"), queryset=Person.objects.none(), required=False)
    opinions = forms.CharField(
        label=_("会上提出的意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一条，保存后成为本轮的意见"),
    )

    class Meta:
        model = Symposium
        fields = ["title", "held_on", "place", "hosts", "attendees", "minutes"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "attendees": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, round: OpinionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hosts = self.fields["hosts"]
        assert isinstance(hosts, forms.ModelMultipleChoiceField)
        hosts.queryset = _people(round.org)
        if self.instance.pk is None:
            self.fields["held_on"].initial = timezone.localdate()


class VisitForm(BootstrapForm):
    visited = forms.CharField(label=_("走访对象"), max_length=120)
    visited_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    source_group = forms.ChoiceField(label=_("对象类别"), choices=TargetGroup.choices, initial=TargetGroup.EMPLOYER)
    visitors = PersonChoices(label=_("走访人员"), queryset=Person.objects.none(), required=False)
    notes = forms.CharField(label=_("走访记录"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    opinions = forms.CharField(
        label=_("听到的意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一条，保存后成为本轮的意见"),
    )

    def __init__(self, *args: Any, round: OpinionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visitors = self.fields["visitors"]
        assert isinstance(visitors, forms.ModelMultipleChoiceField)
        visitors.queryset = _people(round.org)
        self.fields["visited_on"].initial = timezone.localdate()


class FollowupForm(BootstrapForm):
    invitees = forms.ModelMultipleChoiceField(
        label=_("邀请的单位"), queryset=Invitee.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("座谈会名称"), max_length=120)
    held_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=120, required=False)

    def __init__(self, *args: Any, round: OpinionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invitees = self.fields["invitees"]
        assert isinstance(invitees, forms.ModelMultipleChoiceField)
        invitees.queryset = round.invitees.filter(opinions__isnull=False).distinct().order_by("id")
        self.initial.setdefault("invitees", list(invitees.queryset.values_list("pk", flat=True)))
        self.initial.setdefault("title", _("征求意见回访座谈会"))
