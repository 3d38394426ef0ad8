from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from conftest import World
from pingyi.org.models import Person
from pingyi.org.tests.sheets import make_id, member_row, xlsx

pytestmark = pytest.mark.django_db


def _file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(data)
    return path


def _run(path: Path, *args: str) -> tuple[str, str]:
    import io

    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", str(path), "--org", "BRANCH", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_bad_rows_exit_1_print_errors_and_write_nothing(world: World, tmp_path: Path, capsys: Any) -> None:
    path = _file(tmp_path, xlsx([member_row(0), member_row(1, id=110105197001020011)]))
    with pytest.raises(CommandError) as err:
        _run(path)
    assert err.value.returncode == 1
    assert not Person.objects.filter(id_number=make_id(0)).exists()


def test_errors_name_row_column_and_reason(world: World, tmp_path: Path) -> None:
    import io

    path = _file(tmp_path, xlsx([member_row(0), member_row(1, id=110105197001020011)]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_roster", str(path), "--org", "BRANCH", stderr=err)
    assert "第4行 公民身份号码：公民身份号码被存成了数字" in err.getvalue()


def test_dry_run_writes_nothing(world: World, tmp_path: Path) -> None:
    out, _ = _run(_file(tmp_path, xlsx([member_row(0)])), "--dry-run")
    assert "新增 1 人" in out
    assert not Person.objects.filter(id_number=make_id(0)).exists()


def test_success_prints_counts_and_a_progress_bar(world: World, tmp_path: Path) -> None:
    path = _file(tmp_path, xlsx([member_row(n) for n in range(3)]))
    out, err = _run(path)
    assert "导入完成：新增 3 人，更新 0 人，无变化 0 人，跳过 0 行" in out
    assert "3/3" in err
    out, _ = _run(path)
    assert "新增 0 人，更新 0 人，无变化 3 人" in out


def test_skip_invalid(world: World, tmp_path: Path) -> None:
    path = _file(tmp_path, xlsx([member_row(0), member_row(1, id=110105197001020011)]))
    out, err = _run(path, "--skip-invalid")
    assert "新增 1 人" in out and "跳过 1 行" in out
    assert "第4行" in err


def test_unknown_org_and_wrong_file(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到"):
        call_command("import_roster", str(_file(tmp_path, b"x")), "--org", "NOPE")
    csv = tmp_path / "名册.csv"
    csv.write_text("姓名")
    with pytest.raises(CommandError, match="xlsx"):
        call_command("import_roster", str(csv), "--org", "BRANCH")
