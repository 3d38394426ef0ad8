"""The library page, uploads, re-checks and the report page, as people use them."""

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from conftest import World
from pingyi.core.models import Job
from pingyi.originality import services
from pingyi.originality.library import LibraryItem
from pingyi.originality.models import CorpusDocument, Report

from .texts import ARTICLE, HONEST_A, HONEST_B

pytestmark = pytest.mark.django_db


def upload(world: World, name: str, data: bytes, persona: str = "secretary", **fields: str) -> Any:
    url = reverse("originality:library_upload", kwargs={"org_code": "BRANCH"})
    return world.client(persona).post(url, {"file": SimpleUploadedFile(name, data), **fields})


def test_uploading_a_text_imports_it_with_title_and_url(world: World, django_capture_on_commit_callbacks: Any) -> None:
    data = f"窗口服务与先进性\n来源：https://example.org/a\n{ARTICLE}".encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(world, "a.txt", data)
    job = Job.objects.get(name=services.IMPORT_JOB)
    assert response.status_code == 302 and response["Location"] == reverse("portal:job", kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result["added"] == 1
    doc = CorpusDocument.objects.get(kind="library")
    assert (doc.title, doc.source_url) == ("窗口服务与先进性", "https://example.org/a")
    assert "来源" not in doc.text


def test_a_zip_with_an_index_names_each_text(world: World, django_capture_on_commit_callbacks: Any) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("目录.csv", "a.txt,窗口服务,https://example.org/a\n")
        archive.writestr("a.txt", ARTICLE)
        archive.writestr(
            "sub/b.html", "<html><head><title>另一篇</title></head><body><p>" + HONEST_A + "</p></body></html>"
        )
        archive.writestr("notes.pdf", b"%PDF")
    with django_capture_on_commit_callbacks(execute=True):
        upload(world, "library.zip", buffer.getvalue())
    titles = dict(CorpusDocument.objects.values_list("title", "source_url"))
    assert titles == {"窗口服务": "https://example.org/a", "另一篇": ""}


def test_a_word_file_is_read(world: World, django_capture_on_commit_callbacks: Any) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("窗口服务与先进性")
    document.add_paragraph(ARTICLE)
    buffer = io.BytesIO()
    document.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        upload(world, "a.docx", buffer.getvalue(), source_url="https://example.org/doc")
    doc = CorpusDocument.objects.get()
    assert doc.title == "窗口服务与先进性" and ARTICLE in doc.text and doc.source_url == "https://example.org/doc"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"%PDF-1.4", "只能导入.txt、.docx、.html文件"),
        ("a.zip", b"not a zip", "压缩包已损坏"),
        ("a.docx", b"not a docx", "无法读取这个Word文件"),
        ("a.txt", b"   \n", "文件中没有可导入的正文"),
    ],
)
def test_bad_files_get_a_clear_message_and_nothing_is_imported(
    world: World, name: str, data: bytes, message: str
) -> None:
    response = upload(world, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CorpusDocument.objects.exists() and not Job.objects.exists()


def test_uploading_the_same_file_twice_adds_it_once(world: World, django_capture_on_commit_callbacks: Any) -> None:
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            upload(world, "a.txt", ARTICLE.encode())
    assert CorpusDocument.objects.count() == 1
    assert Job.objects.order_by("created_at").last().result["duplicates"] == 1  # type: ignore[union-attr]


def test_library_page_lists_texts(world: World) -> None:
    services.import_library(items=[], org=None, by=None)
    upload_items = [LibraryItem("a.txt", "窗口服务与先进性", "", ARTICLE)]
    services.import_library(items=upload_items, org=None, by=None)
    response = world.client("office").get(reverse("originality:library", kwargs={"org_code": "BRANCH"}))
    assert "窗口服务与先进性" in response.content.decode()


def test_removing_a_library_text(world: World) -> None:
    services.import_library(items=[LibraryItem("a.txt", "窗口服务与先进性", "", ARTICLE)], org=None, by=None)
    doc = CorpusDocument.objects.get()
    url = reverse("originality:library_remove", kwargs={"org_code": "BRANCH", "library_document_id": doc.pk})
    assert world.client("secretary").post(url).status_code == 302
    assert not CorpusDocument.objects.exists()
    assert world.client("secretary").post(url).status_code == 404  # a second click changes nothing


def test_recheck_starts_a_job_with_progress(world: World, django_capture_on_commit_callbacks: Any) -> None:
    services.index_text(
        kind="writing",
        ref=1,
        org=world.orgs["branch"],
        campaign=None,
        title="心得",
        text=HONEST_A + ARTICLE,
        by=world.users["member"],
    )
    services.import_library(items=[LibraryItem("a.txt", "窗口服务与先进性", "", ARTICLE)], org=None, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("secretary").post(reverse("originality:recheck", kwargs={"org_code": "BRANCH"}))
    job = Job.objects.get(name=services.RECHECK_JOB)
    job.refresh_from_db()
    assert response.status_code == 302 and job.status == Job.Status.DONE and (job.done, job.total) == (1, 1)
    assert Report.objects.get().verdict == "red"


def test_pending_partial_polls_the_page_it_is_on(world: World) -> None:
    request = RequestFactory().get("/writings/7/?v=2")
    html = render_to_string("originality/_report.html", {"shown": None}, request=request)
    assert "检测中" in html
    assert 'hx-get="/writings/7/?v=2"' in html and 'hx-select="#originality-report"' in html


def test_report_page_shows_the_source_passage_escaped(world: World) -> None:
    services.import_library(
        items=[LibraryItem("a.txt", "<i>网文</i>", "https://example.org/a", ARTICLE)], org=None, by=None
    )
    document = services.index_text(
        kind="writing",
        ref=1,
        org=world.orgs["branch"],
        campaign=None,
        title="心得",
        text=HONEST_A + ARTICLE[:200],
        by=world.users["member"],
    )
    report = services.check_document(document=document)
    response = world.client("supervisor").get(reverse("originality:report", kwargs={"report_id": report.pk}))
    html = response.content.decode()
    assert "&lt;i&gt;网文&lt;/i&gt;" in html and "<i>网文</i>" not in html
    assert ARTICLE[30:60] in html
    assert 'rel="noopener noreferrer"' in html


def test_changed_words_stand_out_in_the_side_by_side_view(world: World) -> None:
    from .disguise import light_edits

    services.import_library(items=[LibraryItem("a.txt", "窗口服务与先进性", "", ARTICLE)], org=None, by=None)
    edited = light_edits(ARTICLE[100:300])
    document = services.index_text(
        kind="writing",
        ref=1,
        org=world.orgs["branch"],
        campaign=None,
        title="心得",
        text=HONEST_A + edited,
        by=world.users["member"],
    )
    report = services.check_document(document=document)
    row = max(report.passage_rows, key=lambda r: r["chars"])
    changed = [piece for piece, same in row["pieces"] if not same]
    assert changed and all(c in "甲乙丙丁戊己庚辛壬癸" for piece in changed for c in piece)
    assert "".join(piece for piece, _ in row["pieces"]) in edited
    html = world.client("secretary").get(reverse("originality:report", kwargs={"report_id": report.pk}))
    assert 'class="copy-edit"' in html.content.decode()


def _copied_from_a_colleague(world: World) -> tuple[Report, str]:
    """王党员 copies a passage of another member's writing, which also quotes a library article."""
    from pingyi.org import services as org_services

    services.import_library(items=[LibraryItem("a.txt", "窗口服务与先进性", "", ARTICLE)], org=None, by=None)
    colleague = org_services.save_person(org=world.orgs["branch"], by=None, name="李同事")
    world.users["li"] = org_services.create_account(person=colleague, username="li", password="x-pass-12345", by=None)
    theirs = services.index_text(
        kind="writing",
        ref=1,
        org=world.orgs["branch"],
        campaign=None,
        title="李同事的心得：窗口为民",
        text=HONEST_B,
        by=world.users["li"],
    )
    services.check_document(document=theirs)
    mine = services.index_text(
        kind="writing",
        ref=2,
        org=world.orgs["branch"],
        campaign=None,
        title="我的心得",
        text=HONEST_A[:200] + HONEST_B[50:250] + ARTICLE[:150],
        by=world.users["member"],
    )
    # What the author did not copy but the source pair would show around the passage.
    return services.check_document(document=mine), HONEST_B[252:262]


def test_an_author_sees_that_a_passage_matches_another_writing_but_not_its_text_or_author(world: World) -> None:
    report, their_context = _copied_from_a_colleague(world)
    assert {s["kind"] for s in report.sources} == {"writing", "library"}
    url = reverse("originality:report", kwargs={"report_id": report.pk})

    author = world.client("member").get(url).content.decode()
    source_list = author[author.index('id="originality-sources"') : author.index("</ol>")]
    assert "本组织另一篇文稿" in source_list and "李同事" not in author
    assert "窗口服务与先进性" in source_list  # the library is no one's writing: shown in full
    assert "那篇文稿的内容和作者不向你显示" in author
    assert their_context not in author

    reviewer = world.client("secretary").get(url).content.decode()
    assert "李同事的心得：窗口为民" in reviewer and their_context in reviewer
    assert "那篇文稿的内容和作者不向你显示" not in reviewer


def test_self_repetition_is_its_own_figure_on_the_report(world: World) -> None:
    padded = "我们要认真学习党的理论，努力提高自身素质。" * 215
    document = services.index_text(
        kind="writing", ref=3, org=world.orgs["branch"], campaign=None, title="心得", text=padded, by=None
    )
    report = services.check_document(document=document)
    assert (report.copied_percent, report.verdict, report.repeated_percent, report.padded) == (0.0, "green", 99.5, True)
    html = world.client("secretary").get(reverse("originality:report", kwargs={"report_id": report.pk})).content
    page = html.decode()
    assert 'id="repeated-percent"' in page and "99.5%" in page and "大量自我重复" in page
