from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingyi.core.citizen_id import clean_id_number, clean_phone, id_birth_date, id_gender
from pingyi.core.forms import BootstrapForm, bootstrap

from . import services
from .models import OneTimePassword, OrgType, OrgUnit, Person, PersonKind, Role
from .roster.mapping import Layout, check_mapping, field_choices, missing_required
from .roster.uploads import MAX_BYTES

PERSON_FORM_FIELDS = list(services.PERSON_FIELDS)


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = PERSON_FORM_FIELDS
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "confirmed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "gender": gettext_lazy("留空则按公民身份号码填写"),
            "birth_date": gettext_lazy("留空则按公民身份号码填写"),
        }

    def __init__(self, *args: Any, org: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        assert isinstance(group, forms.ModelChoiceField)
        group.queryset = OrgUnit.objects.in_subtree(org).exclude(pk=org.pk)

    def clean_id_number(self) -> str | None:
        value = self.cleaned_data.get("id_number")
        return clean_id_number(value) if value else None

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        return clean_phone(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = data.get("id_number")
        if number:
            # The ID number already holds birth date and gender: fill them in, or refuse a contradiction.
            born, gender = id_birth_date(number), id_gender(number)
            if data.get("birth_date") and data["birth_date"] != born:
                self.add_error("birth_date", _("出生日期与公民身份号码不符"))
            if data.get("gender") and data["gender"] != gender:
                self.add_error("gender", _("性别与公民身份号码不符"))
            data["birth_date"], data["gender"] = born, gender
        if data.get("kind") != PersonKind.MEMBER:
            data["category"] = ""
        return data


class RenameForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("新名称"), max_length=100)


class MoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(label=gettext_lazy("新的上级组织"), queryset=OrgUnit.objects.none())

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = targets


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("名册文件（.xlsx）"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("只能导入 Excel .xlsx 文件；.xls 或 .csv 请先在 Excel 中“另存为” .xlsx"))
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _("文件太大（%(size).1f MB），名册不能超过 %(max)d MB")
                % {"size": upload.size / 2**20, "max": MAX_BYTES // 2**20}
            )
        return upload


class ColumnsForm(BootstrapForm):
    """One choice per sheet column: the field it holds, or not imported."""

    def __init__(self, *args: Any, layout: Layout, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.layout = layout
        for column in layout.columns:
            self.fields[f"col_{column.index}"] = forms.ChoiceField(
                label=column.header or _("（无列名）"), choices=field_choices(), required=False, initial=column.field
            )
        bootstrap(self)

    def rows(self) -> list[tuple[Any, Any]]:
        return [(column, self[f"col_{column.index}"]) for column in self.layout.columns]

    def chosen(self) -> dict[int, str]:
        return {column.index: self.cleaned_data.get(f"col_{column.index}", "") for column in self.layout.columns}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = self.chosen()
        for index, message in check_mapping(chosen).items():
            self.add_error(f"col_{index}", message)
        missing = missing_required(chosen)
        if missing:
            raise ValidationError(
                _("请指定哪一列是“%(fields)s”：按公民身份号码核对人员。") % {"fields": "、".join(missing)}
            )
        return cleaned


class CommitForm(forms.Form):
    skip_invalid = forms.BooleanField(label=gettext_lazy("跳过错误行，只导入正确的行"), required=False)


class ChildOrgForm(forms.Form):
    type = forms.ChoiceField(label=gettext_lazy("类型"), choices=OrgType.choices, initial=OrgType.GROUP)
    code = forms.CharField(
        label=gettext_lazy("代码"),
        max_length=40,
        help_text=gettext_lazy("全系统唯一，用在网址中；只能用字母、数字、连字符和下划线"),
        validators=[
            RegexValidator(r"^[A-Za-z0-9_-]+$", gettext_lazy("代码只能包含字母、数字、连字符（-）和下划线（_）"))
        ],
    )
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)


class AccountForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("用户名"),
        max_length=150,
        help_text=gettext_lazy("登录时输入；可用手机号码。只能包含字母、数字和 @ . + - _"),
        validators=[UnicodeUsernameValidator(message=gettext_lazy("用户名只能包含字母、数字和 @ . + - _"))],
    )


# The roles a secretary hands out; the supervision group's is the administrator's to grant.
GRANTABLE_ROLES = (Role.SECRETARY, Role.COMMITTEE, Role.OFFICE, Role.SUPERVISOR)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.org.name}）"


class RoleGrantForm(forms.Form):
    person = PersonChoiceField(
        label=gettext_lazy("人员"),
        queryset=Person.objects.none(),
        help_text=gettext_lazy("只列出本组织及下级中已开通登录账号的人员"),
    )
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=[(r.value, r.label) for r in GRANTABLE_ROLES])

    def __init__(self, *args: Any, org: OrgUnit, by: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by = by
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = (
            Person.objects.in_subtree(org).filter(user__isnull=False, user__is_active=True).select_related("org")
        )
        if not getattr(by, "is_superuser", False):
            role = self.fields["role"]
            assert isinstance(role, forms.ChoiceField)
            role.widget.choices = [(r.value, r.label) for r in GRANTABLE_ROLES if r != Role.SUPERVISOR]

    def clean_role(self) -> Role:
        role = Role(self.cleaned_data["role"])
        if role == Role.SUPERVISOR and not getattr(self.by, "is_superuser", False):
            raise ValidationError(_("督导组成员角色只能由系统管理员授予"))
        return role


class SignInForm(AuthenticationForm):
    """The login form, saying so when the password was a one-time password that has expired."""

    refusal = ""  # shown instead of "wrong name or password" when there is a better reason

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
            expired = OneTimePassword.objects.filter(user__username__iexact=username or "").select_related("user")
            lapsed = expired.first()
            if lapsed and lapsed.expires_at <= timezone.now() and lapsed.user.check_password(password or ""):
                self.refusal = _("初始密码已过期（超过%(days)d天未使用）。请联系支部书记重新生成。") % {
                    "days": settings.ONE_TIME_PASSWORD_DAYS
                }
            raise


class TokenForm(BootstrapForm):
    token = forms.CharField(
        label=gettext_lazy("动态码"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
