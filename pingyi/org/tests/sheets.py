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


def with_sheet_xml(rows: Any, *, merged: Any = ()) -> bytes:
    """A valid workbook whose first sheet's XML is streamed from `rows` (strings of <row> elements):
    a file of any expanded size, written without ever holding it in memory."""
    import zipfile

    base = zipfile.ZipFile(io.BytesIO(xlsx([], title=None)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for item in base.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                continue
            book.writestr(item, base.read(item.filename))
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            for row in rows:
                sheet.write(row.encode("utf-8"))
            sheet.write(b"</sheetData>")
            refs = list(merged)
            if refs:
                sheet.write(f'<mergeCells count="{len(refs)}">'.encode())
                for ref in refs:
                    sheet.write(f'<mergeCell ref="{ref}"/>'.encode())
                sheet.write(b"</mergeCells>")
            sheet.write(b"</worksheet>")
    return out.getvalue()


def inline_row(number: int, values: list[str]) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'
