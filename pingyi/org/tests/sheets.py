"""Building roster workbooks in tests, and valid ID numbers to fill them."""

import io
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook

from pingyi.core.citizen_id import id_check_digit

HEADER = ["序号", "姓名", "性别", "公民身份号码", "出生日期", "人员类别", "人员状态", "联系电话"]


def make_id(n: int = 0, *, born: date = date(1970, 1, 1), male: bool = True) -> str:
    """A valid ID number; n shifts the birth date so each n gives a different number."""
    day = born + timedelta(days=n)
    first17 = f"110105{day:%Y%m%d}{n % 50:02d}{1 if male else 2}"
    return first17 + id_check_digit(first17)


def xlsx(rows: list[list[Any]], *, header: list[str] | None = None, title: str | None = "党员名册") -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append([title])
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def member_row(n: int, name: str | None = None, **overrides: Any) -> list[Any]:
    values = {
        "seq": n + 1,
        "name": name or f"党员{n:04d}",
        "gender": "",
        "id": make_id(n),
        "birth": "",
        "category": "正式党员",
        "status": "在职",
        "phone": "",
    }
    values.update(overrides)
    return list(values.values())
