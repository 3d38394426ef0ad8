"""Org pages beyond the URL matrix: masking, query counts, forms, and the roster import flow."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import World
from pingyi.core.models import AuditEntry, Job
from pingyi.org import services
from pingyi.org.models import OrgUnitChange, Person, RosterUpload
from pingyi.org.tests.sheets import make_id, member_row, xlsx

pytestmark = pytest.mark.django_db

NODE = reverse("org:node", kwargs={"org_code": "BRANCH"})


def _upload(world: World, data: bytes, name: str = "名册.xlsx", persona: str = "secretary") -> Any:
    url = reverse("org:roster_upload", kwargs={"org_code": "BRANCH"})
    return world.client(persona).post(url, {"file": SimpleUploadedFile(name, data)})


def _checked(world: World, data: bytes, capture: Any, **changes: str) -> Any:
    """Upload, confirm the proposed columns (with `changes`: col_N=field) and run the check job."""
    response = _upload(world, data)
    assert response.status_code == 302, response.content.decode()
    upload = RosterUpload.objects.latest("pk")
    chosen = {f"col_{c['index']}": c["field"] for c in upload.mapping["columns"]} | changes
    with capture(execute=True):
        response = world.client("secretary").post(
            reverse("org:roster_columns", kwargs={"upload_id": upload.pk}), chosen
        )
    assert response.status_code == 302, response.content.decode()
    return response


@pytest.mark.parametrize(
    ("persona", "masked"), [("secretary", False), ("office", False), ("committee", True), ("supervisor", True)]
)
def test_people_list_masks_private_fields(world: World, persona: str, masked: bool) -> None:
    html = world.client(persona).get(NODE).content.decode()
    assert ("11010519491231002X" not in html) is masked
    assert ("110***********002X" in html) is masked
    assert ("13800138000" not in html) is masked


@pytest.mark.parametrize(("persona", "masked"), [("secretary", False), ("committee", True), ("supervisor", True)])
def test_export_masks_private_fields(world: World, persona: str, masked: bool) -> None:
    import io

    from openpyxl import load_workbook

    response = world.client(persona).get(reverse("org:roster_export", kwargs={"org_code": "BRANCH"}))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert (sheet["D3"].value == "110***********002X") is masked
    assert (sheet["M3"].value == "138****8000") is masked


def test_people_list_queries_do_not_grow_with_people(world: World, django_assert_num_queries: Any) -> None:
    client = world.client("secretary")
    client.get(NODE)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(NODE)
    for n in range(10):
        person = services.save_person(org=world.orgs["branch"], by=None, name=f"党员{n}", group=world.orgs["group"])
        services.set_posts(person=person, posts=[{"org": world.orgs["branch"], "title": "委员"}], by=None)
    with django_assert_num_queries(len(first)):
        response = client.get(NODE)
    assert response.content.decode().count("委员") >= 10


def test_people_list_htmx_partial_filters_by_kind(world: World) -> None:
    services.save_person(org=world.orgs["branch"], by=None, name="群众甲", kind="staff")
    response = world.client("secretary").get(NODE, {"kind": "staff"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "群众甲" in html and "王党员" not in html
    assert "<html" not in html


def test_node_page_shows_children_counts_and_history(world: World) -> None:
    services.rename_org_unit(org=world.orgs["group"], name="第一党小组（机关）", by=world.users["secretary"])
    html = world.client("committee").get(reverse("org:node", kwargs={"org_code": "BRANCH-G1"})).content.decode()
    assert "第一党小组 → 第一党小组（机关）" in html
    html = world.client("committee").get(NODE).content.decode()
    assert reverse("org:node", kwargs={"org_code": "BRANCH-G1"}) in html
    assert "正式党员" in html


def test_tree_links_only_to_pages_the_user_may_open(world: World) -> None:
    html = world.client("supervisor").get(reverse("org:tree")).content.decode()
    assert reverse("org:node", kwargs={"org_code": "BRANCH"}) in html
    html = world.client("member").get(reverse("org:tree")).content.decode()
    assert "局机关党支部" in html and reverse("org:node", kwargs={"org_code": "BRANCH"}) not in html


def test_person_page_masks_for_committee_and_shows_own_record(world: World) -> None:
    url = reverse("org:person", kwargs={"person_id": world.people["member"].pk})
    assert "110***********002X" in world.client("committee").get(url).content.decode()
    assert "11010519491231002X" in world.client("member").get(url).content.decode()


def test_add_person_derives_from_id_and_records_audit(world: World) -> None:
    url = reverse("org:person_add", kwargs={"org_code": "BRANCH"})
    data = {"kind": "member", "name": "新党员", "id_number": make_id(5), "status": "serving", "category": "formal"}
    response = world.client("secretary").post(url, data)
    person = Person.objects.get(name="新党员")
    assert response.status_code == 302
    assert (person.gender, str(person.birth_date)) == ("M", "1970-01-06")
    assert AuditEntry.objects.filter(action="person.create", target=f"org.person:{person.pk}").exists()


def test_add_person_refuses_bad_id_and_conflicts(world: World) -> None:
    url = reverse("org:person_add", kwargs={"org_code": "BRANCH"})
    base = {"kind": "member", "name": "新党员", "status": "serving"}
    html = world.client("secretary").post(url, {**base, "id_number": "110105194912310021"}).content.decode()
    assert "校验位" in html
    html = world.client("secretary").post(url, {**base, "id_number": make_id(5), "gender": "F"}).content.decode()
    assert "性别与公民身份号码不符" in html
    assert not Person.objects.filter(name="新党员").exists()


def test_edit_person_records_the_change(world: World) -> None:
    member = world.people["member"]
    url = reverse("org:person_edit", kwargs={"person_id": member.pk})
    data = {
        "kind": "member",
        "name": "王党员",
        "id_number": member.id_number,
        "status": "retired",
        "category": "formal",
    }
    assert world.client("office").post(url, data).status_code == 302
    member.refresh_from_db()
    assert member.status == "retired"
    entry = AuditEntry.objects.filter(action="person.update").last()
    assert entry is not None and "status" in entry.data["fields"]


def test_rename_and_move_node(world: World) -> None:
    client = world.client("secretary")
    services.create_org_unit(parent=world.orgs["branch"], type="group", code="BRANCH-G2", name="第二党小组", by=None)
    url = reverse("org:node_rename", kwargs={"org_code": "BRANCH-G1"})
    assert client.post(url, {"name": "机关一组"}).status_code == 302
    move = reverse("org:node_move", kwargs={"org_code": "BRANCH-G1"})
    target = world.orgs["branch"].children.get(code="BRANCH-G2")
    assert client.post(move, {"new_parent": target.pk}).status_code == 302
    kinds = list(OrgUnitChange.objects.filter(org=world.orgs["group"]).values_list("kind", flat=True))
    assert kinds == ["created", "renamed", "moved"]
    # a node outside the secretary's branch is not offered as a new parent
    html = client.post(move, {"new_parent": world.orgs["other_branch"].pk}).content.decode()
    assert "选择一个有效的选项" in html or "Select a valid choice" in html


@pytest.mark.parametrize(
    ("name", "kwargs", "method"),
    [
        ("org:roster_upload", {"org_code": "BRANCH"}, "get"),
        ("org:roster_commit", {"upload_id": 0}, "get"),
        ("org:node", {"org_code": "BRANCH"}, "post"),
        ("org:roster_export", {"org_code": "BRANCH"}, "post"),
        ("org:roster_preview", {"upload_id": 0}, "post"),
        ("org:person", {"person_id": 0}, "post"),
    ],
)
def test_wrong_method_is_405(world: World, name: str, kwargs: dict, method: str) -> None:
    response = getattr(world.client("secretary"), method)(reverse(name, kwargs=kwargs))
    assert response.status_code == 405


# The import flow


def test_non_xlsx_and_oversized_files_are_refused_in_chinese(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    html = _upload(world, b"a,b", name="名册.xls").content.decode()
    assert "只能导入 Excel .xlsx 文件" in html
    monkeypatch.setattr("pingyi.org.forms.MAX_BYTES", 10)
    html = _upload(world, xlsx([member_row(0)])).content.decode()
    assert "文件太大" in html
    assert not RosterUpload.objects.exists()


def test_a_corrupt_xlsx_is_refused_on_the_upload_form_and_not_stored(world: World) -> None:
    response = _upload(world, b"not really a workbook")
    assert response.status_code == 200
    assert "无法读取这个文件" in response.content.decode()
    assert not RosterUpload.objects.exists()


def test_upload_with_bad_row_shows_errors_and_imports_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    response = _checked(
        world, xlsx([member_row(0), member_row(1, birth="1999-01-01")]), django_capture_on_commit_callbacks
    )
    html = world.client("secretary").get(response["Location"]).content.decode()
    assert "第4行" in html and "出生日期与公民身份号码不符" in html
    assert "没有导入任何数据" in html
    assert not Person.objects.filter(id_number=make_id(0)).exists()


def test_commit_refused_with_errors_unless_skipping(world: World, django_capture_on_commit_callbacks: Any) -> None:
    _checked(world, xlsx([member_row(0), member_row(1, birth="1999-01-01")]), django_capture_on_commit_callbacks)
    upload = RosterUpload.objects.get()
    commit = reverse("org:roster_commit", kwargs={"upload_id": upload.pk})
    client = world.client("secretary")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(commit, follow=True)
    assert "跳过错误行" in response.content.decode()
    assert not Person.objects.filter(id_number=make_id(0)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(commit, {"skip_invalid": "on"})
    upload.refresh_from_db()
    assert upload.status == "committed"
    assert (upload.result["created"], upload.result["skipped"]) == (1, 1)


def test_clean_upload_preview_commit_and_job(world: World, django_capture_on_commit_callbacks: Any) -> None:
    response = _checked(world, xlsx([member_row(n) for n in range(3)]), django_capture_on_commit_callbacks)
    client = world.client("secretary")
    assert "将新增 3 人" in client.get(response["Location"]).content.decode()
    upload = RosterUpload.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("org:roster_commit", kwargs={"upload_id": upload.pk}))
    upload.refresh_from_db()
    assert upload.status == "committed" and upload.job is not None
    job = Job.objects.get(pk=upload.job.pk)
    assert job.status == "done"
    assert (job.result["created"], job.result["updated"], job.result["unchanged"]) == (3, 0, 0)
    html = client.get(response["Location"]).content.decode()
    assert "导入完成：新增 3 人" in html
    assert Person.objects.filter(org=world.orgs["branch"]).count() == 4


def test_double_submit_changes_nothing_the_second_time(world: World, django_capture_on_commit_callbacks: Any) -> None:
    _checked(world, xlsx([member_row(0)]), django_capture_on_commit_callbacks)
    upload = RosterUpload.objects.get()
    commit = reverse("org:roster_commit", kwargs={"upload_id": upload.pk})
    client = world.client("secretary")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(commit)
    entries = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(commit, follow=True)
    assert "已经提交导入" in response.content.decode()
    assert Job.objects.filter(name="org.import_roster").count() == 1
    assert AuditEntry.objects.count() == entries


def test_a_crashed_job_leaves_nothing_and_may_be_retried(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _checked(world, xlsx([member_row(n) for n in range(5)]), django_capture_on_commit_callbacks)
    upload = RosterUpload.objects.get()
    commit = reverse("org:roster_commit", kwargs={"upload_id": upload.pk})
    real = services.create_people

    def crash_after_writing(**kwargs: Any) -> list[Person]:
        real(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "create_people", crash_after_writing)
    with django_capture_on_commit_callbacks(execute=True):
        world.client("secretary").post(commit)
    upload.refresh_from_db()
    assert upload.job is not None and Job.objects.get(pk=upload.job.pk).status == "failed"
    assert not Person.objects.filter(name__startswith="党员00").exists()
    monkeypatch.setattr(services, "create_people", real)
    with django_capture_on_commit_callbacks(execute=True):
        world.client("secretary").post(commit)
    assert Person.objects.filter(name__startswith="党员00").count() == 5


def test_uploads_of_another_branch_are_404(world: World) -> None:
    _upload(world, xlsx([member_row(0)]))
    upload = RosterUpload.objects.get()
    assert (
        world.client("outsider").get(reverse("org:roster_preview", kwargs={"upload_id": upload.pk})).status_code == 404
    )
