"""Citizen ID numbers (GB 11643-1999), phone numbers, and how both are masked."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def id_birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_gender(number: str) -> str:
    """'M' or 'F': the 17th digit is odd for men."""
    return "M" if int(number[16]) % 2 else "F"


def clean_id_number(value: str) -> str:
    """Return the canonical 18-character form or raise ValidationError with the reason."""
    number = (value or "").strip().upper().replace(" ", "")
    if len(number) == 15 and number.isdigit():
        raise ValidationError(_("这是15位旧身份证号，请填写18位公民身份号码"))
    if len(number) != 18:
        raise ValidationError(_("公民身份号码应为18位，这里是%(n)d位") % {"n": len(number)})
    if not _ID_RE.match(number):
        raise ValidationError(_("公民身份号码只能由17位数字和最后一位数字或X组成"))
    born = id_birth_date(number)
    if born is None or born > date.today() or born.year < 1900:
        raise ValidationError(_("公民身份号码中的出生日期无效"))
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationError(_("公民身份号码校验位不对，请核对是否抄错"))
    return number


def clean_phone(value: str) -> str:
    phone = re.sub(r"[\s()（）]", "", value or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if _MOBILE_RE.match(phone) or _LANDLINE_RE.match(phone):
        return phone
    raise ValidationError(_("电话号码格式不对：手机号应为11位，座机应带区号"))


def mask_id_number(number: str) -> str:
    if not number:
        return ""
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}" if len(number) > 7 else "*" * len(number)


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    if len(phone) >= 7:
        return f"{phone[:3]}****{phone[-4:]}"
    return "*" * len(phone)
