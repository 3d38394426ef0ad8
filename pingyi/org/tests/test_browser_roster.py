from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD, World, login_in_browser
from pingyi.org.models import Person
from pingyi.org.tests.sheets import make_id, member_row, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_fixes_a_roster_and_imports_it(page: Any, live_server: Any, world: World, tmp_path: Path) -> None:
    bad = tmp_path / "名册.xlsx"
    bad.write_bytes(xlsx([member_row(0, name="张三"), member_row(1, name="李四", birth="1999-01-01")]))
    good = tmp_path / "名册（已改）.xlsx"
    good.write_bytes(xlsx([member_row(0, name="张三"), member_row(1, name="李四")]))

    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/org/")
    page.click("text=局机关党支部")
    page.set_input_files("#roster-file", str(bad))
    page.click("[data-testid=upload-form] button[type=submit]")
    page.click("[data-testid=confirm-columns]")
    errors = page.inner_text("[data-testid=row-errors]")
    assert "第4行" in errors and "出生日期与公民身份号码不符" in errors
    assert "没有导入任何数据" in page.inner_text("[data-testid=nothing-imported]")
    assert not Person.objects.filter(name__in=["张三", "李四"]).exists()

    page.set_input_files("#roster-file", str(good))
    page.click("[data-testid=upload-form] button[type=submit]")
    page.click("[data-testid=confirm-columns]")
    assert "将新增 2 人" in page.inner_text("[data-testid=plan]")
    page.click("[data-testid=commit]")
    page.wait_for_selector("[data-testid=job-status]:has-text('已完成')")
    assert "新增 2 人" in page.inner_text("[data-testid=import-result]")
    page.click("[data-testid=import-result] a")
    people = page.inner_text("[data-testid=people]")
    assert "张三" in people and "李四" in people


def test_a_roster_whose_category_column_holds_status_is_imported_after_confirming(
    page: Any, live_server: Any, world: World, tmp_path: Path
) -> None:
    """Another unit's layout: "人员类别" holds 在职/退休. The page says so before the check; the secretary
    leaves a column out, confirms, and the roster is imported."""
    sheet = tmp_path / "某单位名册.xlsx"
    rows = [["张三", make_id(0), "在职", "预备党员"], ["李四", make_id(1), "退休", "正式党员"]]
    sheet.write_bytes(xlsx(rows, header=["姓名", "身份证号", "人员类别", "党员类别"]))

    page.set_viewport_size({"width": 390, "height": 844})
    login_in_browser(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/org/unit/BRANCH/")
    page.set_input_files("#roster-file", str(sheet))
    page.click("[data-testid=upload-form] button[type=submit]")

    column = page.locator("[data-column=C]")
    assert "人员类别" in column.inner_text() and "按内容" in column.inner_text()
    assert "是“人员状态”" in column.inner_text()
    assert column.locator("select").input_value() == "status"
    page.locator("[data-column=D] select").select_option("")  # 党员类别: not imported this time
    page.click("[data-testid=confirm-columns]")

    assert "将新增 2 人" in page.inner_text("[data-testid=plan]")
    page.click("[data-testid=commit]")
    page.wait_for_selector("[data-testid=job-status]:has-text('已完成')")
    people = {p.name: (p.status, p.category) for p in Person.objects.filter(name__in=["张三", "李四"])}
    assert people == {"张三": ("serving", ""), "李四": ("retired", "")}
