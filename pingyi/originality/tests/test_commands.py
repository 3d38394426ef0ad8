"""The command-line tools: import_library, originality_check, rebuild_originality_index."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from conftest import World
from pingyi.originality import services
from pingyi.originality.models import CorpusDocument, Fingerprint, FingerprintStat
from pingyi.originality.selectors import report_for

from .texts import ARTICLE, HONEST_A, HONEST_B, OTHER_ARTICLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(f"窗口服务与先进性\n来源：https://example.org/a\n{ARTICLE}", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text(
        f"<html><title>工伤认定</title><body><p>{OTHER_ARTICLES[1]}</p></body></html>", encoding="utf-8"
    )
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    return tmp_path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_library_reads_a_folder_and_rechecks_writings(world: World, folder: Path) -> None:
    services.index_text(
        kind="writing",
        ref=1,
        org=world.orgs["branch"],
        campaign=None,
        title="心得",
        text=HONEST_A + ARTICLE,
        by=world.users["member"],
    )
    output = run("import_library", str(folder), "--org", "BRANCH")
    assert "新增 2 篇" in output and "重新检测文稿 1 篇" in output
    assert set(CorpusDocument.objects.filter(kind="library").values_list("title", flat=True)) == {
        "窗口服务与先进性",
        "工伤认定",
    }
    assert report_for("writing", 1).verdict == "red"  # type: ignore[union-attr]
    assert "跳过重复 2 篇" in run("import_library", str(folder))


def test_import_library_refuses_an_unknown_node(world: World, folder: Path) -> None:
    with pytest.raises(CommandError, match="找不到代码为 NOPE 的组织"):
        run("import_library", str(folder), "--org", "NOPE")
    assert not CorpusDocument.objects.exists()


def test_originality_check_prints_ratio_sources_and_passages(world: World, folder: Path, tmp_path: Path) -> None:
    run("import_library", str(folder))
    essay = tmp_path / "essay.txt"
    essay.write_text(HONEST_B + ARTICLE[100:400], encoding="utf-8")
    before = CorpusDocument.objects.count()
    output = run("originality_check", str(essay))
    assert "总复制比：" in output and "去除引用复制比：" in output
    assert "窗口服务与先进性  https://example.org/a" in output
    assert ARTICLE[150:170] in output
    assert CorpusDocument.objects.count() == before  # a look, not a submission


def test_originality_check_rejects_a_missing_file(world: World) -> None:
    with pytest.raises(CommandError, match="找不到文件"):
        run("originality_check", "/nonexistent.txt")


def test_rebuild_gives_back_the_same_index(world: World, folder: Path, settings: Any) -> None:
    run("import_library", str(folder))
    before = (
        sorted(Fingerprint.objects.values_list("hash", "doc_id", "pos")),
        sorted(FingerprintStat.objects.values_list("hash", "docs", "library_docs")),
    )
    run("rebuild_originality_index")
    after = (
        sorted(Fingerprint.objects.values_list("hash", "doc_id", "pos")),
        sorted(FingerprintStat.objects.values_list("hash", "docs", "library_docs")),
    )
    assert after == before
    settings.ORIGINALITY_W = 4  # a denser index after a settings change
    run("rebuild_originality_index")
    assert Fingerprint.objects.count() > len(before[0])
