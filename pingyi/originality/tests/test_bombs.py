"""Decompression bombs and lying archives are refused early, in bounded time and memory (issue 17, item 6)."""

import io
import time
import tracemalloc
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import World
from pingyi.core.models import Job
from pingyi.originality.library import MAX_EXPANDED_BYTES, LibraryFileError, read_library_file

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """The review's case: a small .zip of eight 15 MB texts (120 MB unpacked)."""
    text = ("学习心得" * 1024).encode() * (15 * MB // (12 * 1024))
    return _zip({f"{i}.txt": text for i in range(8)})


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(world: World, bomb: bytes) -> None:
    assert len(bomb) < 1 * MB
    url = reverse("originality:library_upload", kwargs={"org_code": "BRANCH"})
    client = world.client("secretary")
    client.post(url, {"file": SimpleUploadedFile("warm-up.zip", b"not a zip")})  # imports, templates, catalogues
    tracemalloc.start()
    started = time.perf_counter()
    response = client.post(url, {"file": SimpleUploadedFile("bomb.zip", bomb)})
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 200
    assert "解压后共" in response.content.decode() and "请拆分后再导入" in response.content.decode()
    assert not Job.objects.exists()
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MB"  # the review measured 1.9 GB
    assert elapsed < 5, f"{elapsed:.1f} s"


def test_one_member_over_the_limit_is_named(world: World) -> None:
    data = _zip({"小.txt": b"ok", "big.txt": b"0" * (21 * MB)})
    with pytest.raises(LibraryFileError, match=r"big\.txt 解压后超过20MB"):
        read_library_file("x.zip", data)


def test_a_docx_that_unpacks_to_too_much_is_refused(world: World) -> None:
    data = _zip({"word/document.xml": b"<w/>" * (MAX_EXPANDED_BYTES // 4 + 1)})
    with pytest.raises(LibraryFileError, match="解压后"):
        read_library_file("huge.docx", data)


def _lying(real: bytes, declared: int) -> bytes:
    """A .zip whose directory says its member is `declared` bytes while the data unpacks to `real`."""
    data = bytearray(_zip({"a.txt": real}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        at = data.find(signature)
        data[at + offset : at + offset + 4] = declared.to_bytes(4, "little")
    return bytes(data)


def test_an_archive_that_lies_about_its_size_is_refused_without_unpacking_more(world: World) -> None:
    liar = _lying(b"0" * (60 * MB), declared=1024)
    tracemalloc.start()
    with pytest.raises(LibraryFileError, match="已损坏"):
        read_library_file("liar.zip", liar)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MB"


def test_an_archive_within_the_limits_is_read(world: World, django_capture_on_commit_callbacks: Any) -> None:
    data = _zip({f"{i}.txt": f"第{i}篇\n".encode() + "为人民服务。".encode() * 500 for i in range(30)})
    assert len(read_library_file("ok.zip", data)) == 30
