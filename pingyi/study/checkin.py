"""The rotating check-in code (扫码签到): a signed, short-lived token shown on the room's screen.

The screen shows a code signed with the activity's id; it is good for WINDOW seconds and the screen
fetches a new one every REFRESH seconds, so a photo sent to a friend is stale before it is of use. The
page the code opens hands the signed-in member a pass bound to their own login, which the check-in
button posts: a pass works for nobody else.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WINDOW = 30  # seconds a code on the screen stays good
REFRESH = 10  # seconds between codes on the screen
PASS_WINDOW = 120  # seconds between opening the code and tapping "签到"
_CODE_SALT, _PASS_SALT = "study.checkin.code", "study.checkin.pass"


def code_for(activity_id: int) -> str:
    return signing.TimestampSigner(salt=_CODE_SALT).sign(str(activity_id))


def activity_of_code(code: str) -> int:
    """The activity a code was made for; refused when it is stale or was not made here."""
    try:
        return int(signing.TimestampSigner(salt=_CODE_SALT).unsign(code, max_age=WINDOW))
    except signing.SignatureExpired as exc:
        raise ValidationError(_("二维码已过期：请重新扫描会场屏幕上正在显示的二维码。")) from exc
    except (signing.BadSignature, ValueError) as exc:
        raise ValidationError(_("二维码无效：请扫描会场屏幕上显示的签到二维码。")) from exc


def pass_for(activity_id: int, user_id: int) -> str:
    return signing.TimestampSigner(salt=_PASS_SALT).sign(f"{activity_id}:{user_id}")


def activity_of_pass(token: str, user_id: int) -> int:
    """The activity of a pass made for this login; another login's pass is refused."""
    try:
        activity_id, owner = signing.TimestampSigner(salt=_PASS_SALT).unsign(token, max_age=PASS_WINDOW).split(":")
    except signing.SignatureExpired as exc:
        raise ValidationError(_("签到页面已过期：请重新扫描会场屏幕上的二维码。")) from exc
    except (signing.BadSignature, ValueError) as exc:
        raise ValidationError(_("二维码无效：请扫描会场屏幕上显示的签到二维码。")) from exc
    if int(owner) != user_id:
        raise ValidationError(_("这个签到页面是别人的：只能为自己签到，请扫描会场屏幕上的二维码。"))
    return int(activity_id)
