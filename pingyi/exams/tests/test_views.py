"""The pages: what each shows, refuses and hands out."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from conftest import World, add_member
from pingyi.exams import services
from pingyi.exams.models import Answer, AnswerSheet, Question, QuestionBank, Sitting

pytestmark = pytest.mark.django_db


def _sheet(world: World, sitting: Sitting) -> AnswerSheet:
    return services.start_sheet(sitting=sitting, person=world.people["member"], by=world.users["member"])


def test_an_answer_is_saved_and_the_page_says_so(world: World, sitting: Sitting) -> None:
    sheet = _sheet(world, sitting)
    first = sheet.answers.get(position=1)
    client = world.client("member")
    response = client.post(
        f"/exams/sheets/{sheet.pk}/answer/", {"position": 1, "choice": [first.option_order[1]]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "已保存" in response.content.decode()
    assert Answer.objects.get(pk=first.pk).response == str(first.option_order[1])
    other = add_member(world, "别人")
    assert other.pk  # the member's sheet is theirs alone
    assert world.client("secretary").post(f"/exams/sheets/{sheet.pk}/answer/", {"position": 1}).status_code == 404


def test_an_answer_after_time_is_refused_and_the_sheet_submitted(world: World, sitting: Sitting) -> None:
    sheet = _sheet(world, sitting)
    AnswerSheet.objects.filter(pk=sheet.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    response = world.client("member").post(f"/exams/sheets/{sheet.pk}/answer/", {"position": 1, "choice": ["1"]})
    assert "答题时间已到" in response.content.decode() and response["HX-Refresh"] == "true"
    sheet.refresh_from_db()
    assert sheet.submitted_at is not None and sheet.auto_submitted
    assert Answer.objects.get(sheet=sheet, position=1).response == ""


def test_right_answers_are_shown_to_the_member_only_after_the_window(world: World, sitting: Sitting) -> None:
    sheet = _sheet(world, sitting)
    services.submit_sheet(sheet=sheet, by=None)
    page = world.client("member").get(f"/exams/sheets/{sheet.pk}/").content.decode()
    assert "得分" in page and "你的答案" not in page and "起可以查看答错的题" in page
    Sitting.objects.filter(pk=sitting.pk).update(
        opens_at=timezone.now() - timedelta(days=2), closes_at=timezone.now() - timedelta(days=1)
    )
    page = world.client("member").get(f"/exams/sheets/{sheet.pk}/").content.decode()
    assert "你的答案" in page and "答错的题" in page


def test_a_bad_import_names_each_line_and_imports_nothing(world: World, bank: QuestionBank) -> None:
    before = Question.objects.count()
    upload = SimpleUploadedFile("q.gift", "好题{T}\n\n坏题\n\n坏题二{=}\n".encode())
    response = world.client("secretary").post(f"/exams/banks/{bank.pk}/import/", {"file": upload, "fmt": ""})
    page = response.content.decode()
    assert "第 3 行：每道题要有且只有一对 { } 写答案" in page and "第 5 行" in page
    assert Question.objects.count() == before


def test_the_template_and_the_results_download_as_workbooks(world: World, bank: QuestionBank, sitting: Sitting) -> None:
    add_member(world, "缺考党员")
    services.submit_sheet(sheet=_sheet(world, sitting), by=None)
    client = world.client("secretary")
    template = client.get(f"/exams/banks/{bank.pk}/template/")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    export = client.get(f"/exams/sittings/{sitting.pk}/export/")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=3, values_only=True))
    states = {row[0]: row[1] for row in rows}
    assert states == {"王党员": "已交卷", "缺考党员": "缺考"}


def test_the_results_page_reads_in_a_few_queries_however_many_sat(
    world: World, sitting: Sitting, django_assert_max_num_queries: object
) -> None:
    for i in range(15):
        person = add_member(world, f"党员{i}")
        services.submit_sheet(sheet=services.start_sheet(sitting=sitting, person=person, by=None), by=None)
    client = world.client("secretary")
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        assert client.get(f"/exams/sittings/{sitting.pk}/").status_code == 200


def test_the_paper_sheet_prints_as_a_pdf(world: World, sitting: Sitting) -> None:
    sheet = services.issue_paper_sheet(sitting=sitting, person=add_member(world, "退休党员"), by=None)
    response = world.client("secretary").get(f"/exams/sheets/{sheet.pk}/print/")
    assert response.content.startswith(b"%PDF")


def test_the_home_page_tells_a_member_a_test_is_open(world: World, sitting: Sitting) -> None:
    page = world.client("member").get("/").content.decode()
    assert "正在进行，可以答题" in page
    _sheet(world, sitting)
    assert "您有一份试卷还没有交" in world.client("member").get("/").content.decode()


def test_a_member_finds_their_own_sheets_on_the_tests_page(world: World, sitting: Sitting) -> None:
    assert 'id="sheets-title"' not in world.client("member").get("/exams/").content.decode()
    sheet = _sheet(world, sitting)
    page = world.client("member").get("/exams/").content.decode()
    assert f'href="/exams/sheets/{sheet.pk}/"' in page and "作答中" in page
    services.submit_sheet(sheet=sheet, by=None)
    assert "已交卷" in world.client("member").get("/exams/").content.decode()
    assert f"/exams/sheets/{sheet.pk}/" not in world.client("committee").get("/exams/").content.decode()


def test_the_committee_sees_no_right_answers_while_the_test_is_open(world: World, sitting: Sitting) -> None:
    sheet = _sheet(world, sitting)
    services.submit_sheet(sheet=sheet, by=None)
    committee = world.client("committee")
    assert "你的答案" in committee.get(f"/exams/sheets/{sheet.pk}/").content.decode()
    page = committee.get(f"/exams/sheets/{sheet.pk}/").content.decode()
    assert 'class="right"></strong>' in page  # the right-answer slot is empty for them
    assert 'id="analysis-hidden"' in committee.get(f"/exams/papers/{sitting.paper_id}/analysis/").content.decode()
    secretary = world.client("secretary").get(f"/exams/papers/{sitting.paper_id}/analysis/").content.decode()
    assert 'id="analysis-hidden"' not in secretary and "根据 1 份已交答卷" in secretary


def test_a_large_file_is_imported_by_a_job_that_comes_back_with_the_outcome(
    world: World, bank: QuestionBank, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: object
) -> None:
    monkeypatch.setattr(services.banks, "BACKGROUND_FROM", 10)
    client = world.client("secretary")
    good = SimpleUploadedFile("big.gift", "第一题{T}\n\n第二题{F}\n".encode())
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(f"/exams/banks/{bank.pk}/import/", {"file": good, "fmt": ""})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    job = client.get(response["Location"])
    next_url = job.context["next_url"]
    assert "已导入 2 道题" in client.get(next_url).content.decode()
    bad = SimpleUploadedFile("bad.gift", "第三题{T}\n\n坏题\n".encode())
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(f"/exams/banks/{bank.pk}/import/", {"file": bad, "fmt": ""})
    page = client.get(client.get(response["Location"]).context["next_url"]).content.decode()
    assert "第 3 行：每道题要有且只有一对 { } 写答案" in page
    assert not Question.objects.filter(text="第三题").exists()
