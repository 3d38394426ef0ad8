"""The rotating check-in code (扫码签到): a signed, short-lived token shown on the room's screen.

The screen shows a code signed with the activity's id; it is good for WINDOW seconds and the screen
fetches a new one every REFRESH seconds, so a photo sent to a friend is stale before it is of use. The
page the code opens checks the member and hands them a pass bound to their login and its session, which
the check-in button posts: a pass works for nobody else, and with the login it is all the tap reads (the
tap loads neither the session nor the activity, ADR 0014).
"""

from __future__ import annotations

import time
from dataclasses import astuple, dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

WINDOW = 30  # seconds a code on the screen stays good
REFRESH = 10  # seconds between codes on the screen
PASS_WINDOW = 120  # seconds between opening the code and tapping "签到"
SIGN_IN_GRACE = 180  # seconds a code scanned by a phone that was not signed in stays good for its sign-in
_CODE_SALT, _PASS_SALT = "study.checkin.code", "study.checkin.pass"


def code_for(activity_id: int) -> str:
    return signing.TimestampSigner(salt=_CODE_SALT).sign(str(activity_id))


def activity_of_code(code: str, *, opened_in_time: bool = False) -> int:
    """The activity a code was made for; refused when it is stale or was not made here.

    `opened_in_time`: this browser opened the code while it was good but had to sign in first, which takes
    longer than a code lives; the code then stays good for SIGN_IN_GRACE seconds from when it was made. A
    photo of the code sent on must still be opened within WINDOW seconds."""
    signer = signing.TimestampSigner(salt=_CODE_SALT)
    try:
        return int(signer.unsign(code, max_age=WINDOW))
    except signing.SignatureExpired as exc:
        if opened_in_time and time.time() - _signed_at(signer, code) <= SIGN_IN_GRACE:
            return int(signer.unsign(code))
        raise ValidationError(_("二维码已过期：请重新扫描会场屏幕上正在显示的二维码。")) from exc
    except (signing.BadSignature, ValueError) as exc:
        raise ValidationError(_("二维码无效：请扫描会场屏幕上显示的签到二维码。")) from exc


def _signed_at(signer: signing.TimestampSigner, code: str) -> float:
    """When a code whose signature holds was made (TimestampSigner: value, timestamp, signature)."""
    return float(signing.b62_decode(code.rsplit(signer.sep, 2)[1]))


@dataclass(frozen=True)
class Scan:
    """What the scanned code's page read and checked, carried to the tap by the pass (signed, at most
    PASS_WINDOW seconds old): the activity's times, branch and self check-in option, and the member with
    their node. The tap checks the login afresh; these facts stand as they were at the scan (ADR 0014).
    selectors.scanned() makes one from the records, selectors.as_scanned() gives the records back."""

    activity_id: int
    starts: int  # epoch seconds
    ends: int
    self_checkin: bool
    branch_id: int
    branch_path: str
    login_id: int
    person_id: int
    member_node_id: int
    member_path: str
    bond: str = ""


def pass_for(scan: Scan, login: Any, session_key: str) -> str:
    """The pass the scanned code's page hands this login, bound to its session and its current password."""
    return signing.dumps([*astuple(scan)[:-1], _bond(login, session_key)], salt=_PASS_SALT)


def open_pass(token: str) -> Scan:
    """The scan a pass made here in the last PASS_WINDOW seconds carries; anything else is refused."""
    try:
        return Scan(*signing.loads(token, salt=_PASS_SALT, max_age=PASS_WINDOW))
    except signing.SignatureExpired as exc:
        raise ValidationError(_("签到页面已过期：请重新扫描会场屏幕上的二维码。")) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise ValidationError(_("二维码无效：请扫描会场屏幕上显示的签到二维码。")) from exc


def check_holder(bond: str, login: Any, session_key: str) -> None:
    """The pass is posted by the session it was given to, and its login is still what signed in then.

    What the session would have proved, without loading it: the pass went to this browser's session (its
    cookie), the login is active and its password has not changed since (a new password ends every session).
    Another login's pass, one posted after signing out, and one from before a password reset are refused."""
    if login is None or not login.is_active:
        raise ValidationError(_("您的账号已停用，不能签到。"))
    if not session_key or not constant_time_compare(bond, _bond(login, session_key)):
        raise ValidationError(_("这个签到页面不是您现在的登录打开的：只能为自己签到，请重新扫描会场屏幕上的二维码。"))


def _bond(login: Any, session_key: str) -> str:
    mac = salted_hmac(_PASS_SALT, f"{session_key}:{login.get_session_auth_hash()}", algorithm="sha256")
    return mac.hexdigest()[:32]
