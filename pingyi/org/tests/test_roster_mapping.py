"""Columns recognised by header and by values; the user's choice shown, changed, remembered (issue 12, item 4)."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from conftest import World
from pingyi.core.models import AuditEntry
from pingyi.org.models import Person, RosterLayout, RosterUpload
from pingyi.org.roster import uploads
from pingyi.org.roster.mapping import propose
from pingyi.org.roster.parsing import parse_sheet
from pingyi.org.roster.reading import read_cells
from pingyi.org.tests.sheets import make_id, xlsx

# A unit's own layout: "人员类别" holds 在职/退休 (what the template calls 人员状态), "党员类别" holds 正式/预备,
# "证件号" is not a header we know, "备注" is not a field at all.
HEADER = ["序号", "姓名", "证件号", "人员类别", "党员类别", "备注"]


def _rows(n: int = 4) -> list[list[Any]]:
    return [
        [i + 1, f"党员{i}", make_id(i), "在职" if i % 2 else "退休", "预备党员" if i == 0 else "正式党员", "无"]
        for i in range(n)
    ]


def _columns(data: bytes) -> dict[str, tuple[str, str]]:
    layout = propose(read_cells(data))
    return {c.header: (c.field, c.how) for c in layout.columns}


def test_values_decide_when_the_header_means_something_else() -> None:
    columns = _columns(xlsx(_rows(), header=HEADER))
    assert columns == {
        "序号": ("", "header"),
        "姓名": ("name", "header"),
        "证件号": ("id_number", "values"),
        "人员类别": ("status", "values"),
        "党员类别": ("category", "header"),
        "备注": ("", "none"),
    }
    parsed = parse_sheet(xlsx(_rows(), header=HEADER))
    assert not parsed.errors
    assert [r.values["status"] for r in parsed.rows] == ["retired", "serving", "retired", "serving"]
    assert parsed.rows[0].values["category"] == "probationary"


def test_the_note_says_why_in_words() -> None:
    layout = propose(read_cells(xlsx(_rows(), header=HEADER)))
    [note] = [c.note for c in layout.columns if c.header == "人员类别"]
    assert note == "列名是“人员类别”，但内容是退休、在职等，是“人员状态”"


def test_a_few_typos_do_not_turn_a_column_into_something_else() -> None:
    rows = [[f"党员{i}", make_id(i), "离休" if i == 0 else "在职"] for i in range(5)]
    assert _columns(xlsx(rows, header=["姓名", "公民身份号码", "人员状态"]))["人员状态"] == ("status", "header")


def test_two_columns_for_one_field_read_the_first_and_say_so() -> None:
    rows = [[f"党员{i}", make_id(i), "在职", "退休"] for i in range(3)]
    layout = propose(read_cells(xlsx(rows, header=["姓名", "公民身份号码", "人员状态", "状态说明"])))
    second = layout.columns[3]
    assert (second.field, second.note) == ("", "与第C列（人员状态）重复，未导入")


def test_a_wrong_check_digit_still_stops_the_whole_file_with_its_row_named(world: World) -> None:
    rows = _rows()
    rows[2][2] = make_id(2)[:-1] + ("0" if make_id(2)[-1] != "0" else "1")
    parsed = parse_sheet(xlsx(rows, header=HEADER))
    assert [(e.row, e.column, e.message) for e in parsed.errors] == [
        (5, "公民身份号码", "公民身份号码校验位不对，请核对是否抄错")
    ]


# The page: the mapping before the check, changed, remembered.


def _upload(world: World, data: bytes) -> RosterUpload:
    branch, secretary = world.orgs["branch"], world.users["secretary"]
    return uploads.create_upload(org=branch, by=secretary, filename="名册.xlsx", content=data)


def _columns_url(upload: RosterUpload) -> str:
    return reverse("org:roster_columns", kwargs={"upload_id": upload.pk})


@pytest.mark.django_db
def test_upload_shows_the_mapping_before_any_check(world: World) -> None:
    response = world.client("secretary").post(
        reverse("org:roster_upload", kwargs={"org_code": "BRANCH"}),
        {"file": SimpleUploadedFile("名册.xlsx", xlsx(_rows(), header=HEADER))},
    )
    upload = RosterUpload.objects.get()
    assert response["Location"] == _columns_url(upload)
    assert (upload.status, upload.report) == ("mapping", {})
    html = world.client("secretary").get(_columns_url(upload)).content.decode()
    assert "第D列：人员类别" in html and "按内容" in html and "是“人员状态”" in html
    # The preview of an upload still to be mapped leads back to the mapping.
    preview = world.client("secretary").get(reverse("org:roster_preview", kwargs={"upload_id": upload.pk}))
    assert preview["Location"] == _columns_url(upload)


@pytest.mark.django_db
def test_changing_a_column_checks_with_it_and_remembers_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    upload = _upload(world, xlsx(_rows(), header=HEADER))
    chosen = {f"col_{c['index']}": c["field"] for c in upload.mapping["columns"]} | {"col_5": ""}
    client = world.client("secretary")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_columns_url(upload), chosen)
    upload.refresh_from_db()
    assert response["Location"] == reverse("org:roster_preview", kwargs={"upload_id": upload.pk})
    assert upload.status == "checked" and upload.report["total"] == 4 and not upload.report["errors"]
    assert [c["field"] for c in upload.report["layout"]["columns"]] == ["", "name", "id_number", "status", "", ""]
    assert AuditEntry.objects.filter(action="roster.columns").count() == 1

    # The same layout again, at the same node: the choice comes back; at another node it does not.
    again = _upload(world, xlsx(_rows(2), header=HEADER))
    assert [(c["field"], c["how"]) for c in again.mapping["columns"]][4] == ("", "remembered")
    elsewhere = uploads.create_upload(
        org=world.orgs["other_branch"], by=None, filename="x.xlsx", content=xlsx(_rows(2), header=HEADER)
    )
    assert elsewhere.mapping["columns"][4]["field"] == "category"
    assert RosterLayout.objects.count() == 1


@pytest.mark.django_db
def test_a_field_chosen_twice_is_refused_beside_the_column(world: World) -> None:
    upload = _upload(world, xlsx(_rows(), header=HEADER))
    chosen = {f"col_{c['index']}": c["field"] for c in upload.mapping["columns"]} | {"col_6": "status"}
    response = world.client("secretary").post(_columns_url(upload), chosen)
    html = response.content.decode()
    assert response.status_code == 200
    after_f = html[html.index('data-column="F"') :]
    assert "“人员状态”已由第D列导入" in after_f[: after_f.index("</li>")]
    upload.refresh_from_db()
    assert upload.status == "mapping" and not RosterLayout.objects.exists()


@pytest.mark.django_db
def test_without_an_id_column_the_check_does_not_start(world: World) -> None:
    upload = _upload(world, xlsx(_rows(), header=HEADER))
    chosen = {f"col_{c['index']}": c["field"] for c in upload.mapping["columns"]} | {"col_3": ""}
    html = world.client("secretary").post(_columns_url(upload), chosen).content.decode()
    assert "请指定哪一列是“公民身份号码”" in html
    upload.refresh_from_db()
    assert upload.status == "mapping"


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [("committee", 403), ("supervisor", 403), ("outsider", 404)])
def test_columns_page_is_for_those_who_manage_people(world: World, persona: str, status: int) -> None:
    upload = _upload(world, xlsx(_rows(), header=HEADER))
    assert world.client(persona).get(_columns_url(upload)).status_code == status
    assert world.client(persona).post(_columns_url(upload), {}).status_code == status


@pytest.mark.django_db
def test_columns_page_method_and_state(world: World) -> None:
    upload = _upload(world, xlsx(_rows(), header=HEADER))
    client = world.client("secretary")
    assert client.put(_columns_url(upload)).status_code == 405
    anonymous = world.client("anonymous").get(_columns_url(upload))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    upload.status = RosterUpload.Status.COMMITTED
    upload.save(update_fields=["status"])
    response = client.post(_columns_url(upload), {})
    assert response["Location"] == reverse("org:roster_preview", kwargs={"upload_id": upload.pk})


# The command line.


def _run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", str(path), "--org", "BRANCH", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_command_shows_the_mapping_and_takes_map_by_header_or_letter(world: World, tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx(_rows(), header=HEADER))
    out, err = _run(path, "--dry-run")
    assert "D 人员类别 → 人员状态 (status)  [按内容]" in err
    assert "检查通过（未写入）：新增 4 人" in out
    out, err = _run(path, "--map", "人员类别=status", "--map", "E=ignore")
    assert "E 党员类别 → 不导入  [手动设置]" in err
    assert "导入完成：新增 4 人" in out
    assert set(Person.objects.filter(name__startswith="党员").values_list("category", flat=True)) == {""}  # not read
    # Remembered: the next run of the same layout ignores 党员类别 without being told.
    _out, err = _run(path, "--dry-run")
    assert "E 党员类别 → 不导入  [上次导入时的设置]" in err


@pytest.mark.django_db
def test_command_refuses_a_map_it_cannot_apply(world: World, tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx(_rows(), header=HEADER))
    for bad, said in [
        ("职称=status", "表头中没有这一列"),
        ("人员类别=rank", "字段应为"),
        ("备注=status", "已由第D列导入"),
        ("证件号=ignore", "没有对应“公民身份号码”的列"),
    ]:
        with pytest.raises(CommandError, match=said):
            _run(path, "--map", bad)
    assert not Person.objects.filter(name__startswith="党员").exists()


@pytest.mark.django_db
def test_confirming_the_same_columns_twice_checks_once_and_changing_them_checks_again(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from pingyi.core.models import Job

    upload = _upload(world, xlsx(_rows(), header=HEADER))
    chosen = {f"col_{c['index']}": c["field"] for c in upload.mapping["columns"]}
    client = world.client("secretary")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(_columns_url(upload), chosen)
    assert Job.objects.filter(name="org.check_roster").count() == 1
    assert AuditEntry.objects.filter(action="roster.columns").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_columns_url(upload), chosen | {"col_5": ""})
    upload.refresh_from_db()
    assert Job.objects.filter(name="org.check_roster").count() == 2 and upload.status == "checked"
    assert [c["field"] for c in upload.report["layout"]["columns"]][4] == ""
