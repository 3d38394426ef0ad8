"""The app around the engine: indexing, checks as jobs, scope, library import and re-check, atomicity."""

from typing import Any

import pytest

from conftest import World
from pingyi.core.models import AuditEntry, Job
from pingyi.originality import services
from pingyi.originality.engine import EngineSettings, MemoryStore, check
from pingyi.originality.index import DatabaseStore
from pingyi.originality.library import LibraryItem
from pingyi.originality.models import CorpusDocument, Fingerprint, FingerprintStat, Report
from pingyi.originality.selectors import report_for

from .conftest import library_items, submit
from .disguise import light_edits
from .texts import ARTICLE, HONEST_A, HONEST_B

pytestmark = pytest.mark.django_db


def test_submitted_copy_gets_a_report_naming_the_library_source(
    world: World, campaign: Any, library: CorpusDocument, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = submit(world, campaign, 1, HONEST_A + ARTICLE[60:400])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    report = report_for("writing", 1)
    assert report is not None
    assert report.verdict == "red"
    assert report.sources[0]["title"] == "窗口服务与先进性"
    assert report.sources[0]["url"] == "https://example.org/article"
    assert report.passages[0]["source"]["text"] in ARTICLE
    assert job.result["report_id"] == report.pk


def test_report_is_none_until_the_check_has_run(world: World, campaign: Any, library: CorpusDocument) -> None:
    submit(world, campaign, 1, HONEST_A)  # the job waits for the (test's) transaction to commit
    assert report_for("writing", 1) is None


def test_honest_essay_is_green(
    world: World, campaign: Any, library: CorpusDocument, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submit(world, campaign, 1, HONEST_A)
        submit(world, campaign, 2, HONEST_B)
    for ref in (1, 2):
        report = report_for("writing", ref)
        assert report is not None and report.verdict == "green" and report.copied_chars == 0


def test_submitting_the_same_version_twice_changes_nothing(
    world: World, campaign: Any, library: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(world, campaign, 1, HONEST_A)
    rows, audits = Fingerprint.objects.count(), AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        again = submit(world, campaign, 1, HONEST_A)
    assert again.pk == first.pk
    assert CorpusDocument.objects.filter(kind="writing", ref=1).count() == 1
    assert (Fingerprint.objects.count(), AuditEntry.objects.count(), Report.objects.count()) == (rows, audits, 1)


def test_a_copy_of_a_colleagues_writing_in_the_branch_is_found(
    world: World, campaign: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submit(world, campaign, 1, HONEST_B)
        submit(world, campaign, 2, HONEST_A + HONEST_B[40:200], persona="secretary")
    report = report_for("writing", 2)
    assert report is not None
    assert report.sources[0]["kind"] == "writing"
    assert report.sources[0]["title"] == "学习心得1"


def test_writings_outside_the_campaigns_subtree_are_not_compared(
    world: World, campaign: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.check_text(
            kind="writing",
            ref=1,
            org=world.orgs["other_branch"],
            campaign=None,
            title="别的支部",
            text=HONEST_B,
            by=world.users["outsider"],
        )
        submit(world, campaign, 2, HONEST_B)
    report = report_for("writing", 2)
    assert report is not None and report.copied_chars == 0


def test_versions_of_one_writing_are_not_each_others_source(
    world: World, campaign: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from pingyi.campaigns.models import WorkItem
    from pingyi.writings import services as writings
    from pingyi.writings.models import REFLECTION_RULE

    item = WorkItem.objects.get(stage__campaign=campaign, rule=REFLECTION_RULE)
    member, user = world.people["member"], world.users["member"]
    writing = writings.start_writing(work_item=item, author=member, by=user)
    with django_capture_on_commit_callbacks(execute=True):
        writings.save_draft(writing=writing, by=user, title="学习心得", text=HONEST_A)
        first = writings.submit_writing(writing=writing, by=user).version
    writings.return_writing(writing=writing, by=world.users["secretary"], version_number=None, comment="再充实一些")
    with django_capture_on_commit_callbacks(execute=True):
        writings.save_draft(writing=writing, by=user, title="学习心得", text=HONEST_A + "今后我要坚持学习。")
        second = writings.submit_writing(writing=writing, by=user).version
    assert first.pk != second.pk
    report = report_for("writing", second.pk)
    assert report is not None and report.copied_chars == 0


def test_database_store_agrees_with_the_engine_in_memory(world: World, campaign: Any) -> None:
    items = library_items()
    services.import_library(items=items, org=None, by=None)
    cfg = EngineSettings()
    memory = MemoryStore(cfg)
    ids = dict(CorpusDocument.objects.values_list("title", "pk"))
    for item in items:
        memory.add(ids[item.title], item.text)
    essay = HONEST_B + light_edits(ARTICLE[50:350]) + HONEST_A
    in_db = check(essay, DatabaseStore(scope_path="//", family=""), cfg)
    in_memory = check(essay, memory, cfg)
    assert in_db.copied_chars == in_memory.copied_chars > 0
    assert in_db.passages == in_memory.passages


def test_library_import_skips_texts_already_there(world: World) -> None:
    first = services.import_library(items=library_items(), org=None, by=None)
    again = services.import_library(items=library_items(), org=None, by=None)
    assert first.added == len(library_items()) and first.duplicates == 0
    assert again.added == 0 and again.duplicates == len(library_items())


def test_stats_count_documents_not_occurrences(world: World) -> None:
    services.import_library(items=[LibraryItem("a.txt", "a", "", ARTICLE + ARTICLE[:100])], org=None, by=None)
    assert FingerprintStat.objects.filter(docs__gt=1).count() == 0
    assert FingerprintStat.objects.exclude(library_docs=1).count() == 0


def test_removing_a_library_text_takes_its_fingerprints_out(world: World) -> None:
    services.import_library(items=library_items(), org=None, by=None)
    before = (Fingerprint.objects.count(), dict(FingerprintStat.objects.values_list("hash", "docs")))
    services.import_library(items=[LibraryItem("x.txt", "多出来的一篇", "", HONEST_B)], org=None, by=None)
    services.remove_library_document(document=CorpusDocument.objects.get(title="多出来的一篇"), by=None)
    assert (Fingerprint.objects.count(), dict(FingerprintStat.objects.values_list("hash", "docs"))) == before


def test_library_growth_recheck_finds_the_new_source(
    world: World, campaign: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submit(world, campaign, 1, HONEST_A + ARTICLE[60:400])
    assert report_for("writing", 1).copied_chars == 0  # type: ignore[union-attr]
    services.import_library(items=library_items(), org=None, by=None)
    steps: list[tuple[int, int]] = []
    assert services.recheck_writings(by=None, progress=lambda d, t: steps.append((d, t))) == 1
    assert steps == [(1, 1)]
    assert report_for("writing", 1).verdict == "red"  # type: ignore[union-attr]
    assert Report.objects.count() == 2  # the first report is kept


def test_a_crash_while_importing_leaves_nothing_behind(world: World, monkeypatch: Any) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("pingyi.originality.services.audit.record", broken)
    with pytest.raises(RuntimeError):
        services.import_library(items=library_items(), org=None, by=None)
    assert not CorpusDocument.objects.exists()
    assert not Fingerprint.objects.exists() and not FingerprintStat.objects.exists()


def test_a_crash_while_checking_stores_no_report(world: World, campaign: Any, library: Any, monkeypatch: Any) -> None:
    submit(world, campaign, 1, ARTICLE)
    document = CorpusDocument.objects.get(kind="writing", ref=1)
    audits = AuditEntry.objects.count()

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("lost connection")

    monkeypatch.setattr("pingyi.originality.services.audit.record", broken)
    with pytest.raises(RuntimeError):
        services.check_document(document=document)
    assert not Report.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_lookups_are_proportional_to_the_essay(world: World, library: Any, django_assert_max_num_queries: Any) -> None:
    """A check reads stats and postings for the essay's own hashes, in a few chunked queries."""
    store = DatabaseStore(scope_path="//", family="")
    with django_assert_max_num_queries(12):
        check(HONEST_A + ARTICLE, store, EngineSettings())
