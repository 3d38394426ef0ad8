"""Faults (issue 17, item 13): the database drops a connection, the upload area is full.

(A Celery worker stopped mid-job and Redis down: pingyi/core/tests/test_jobs_that_die.py.)
"""

import os
import subprocess
import tempfile
import urllib.error
import urllib.request
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import World


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="needs a database server")
@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("pingyi.portal.tests.fault_urls")
def test_a_dropped_database_connection_is_a_clear_error_and_the_next_request_works(live_server: Any) -> None:
    status, body = _get(f"{live_server.url}/faults/cut/")
    assert status == 503 and "数据库连接中断" in body and "Traceback" not in body
    status, body = _get(f"{live_server.url}/faults/count/")
    assert status == 200  # the same server, no restart


def test_kept_connections_are_checked_before_use() -> None:
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.fixture
def full_disk() -> Any:
    """A 1 MB tmpfs as the upload area: a real ENOSPC, not a mock."""
    where = tempfile.mkdtemp(prefix="pingyi-full-")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", where], capture_output=True)
    if mounted.returncode != 0:
        os.rmdir(where)
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", where], check=False)  # lazily: the spooled file may still be open
        os.rmdir(where)


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the spooled file cannot flush
def test_a_full_upload_area_is_a_clear_error(world: World, full_disk: str, settings: Any) -> None:
    settings.FILE_UPLOAD_TEMP_DIR = full_disk  # uploads over 5 MB are spooled here while the request is read
    client = Client(raise_request_exception=False)
    client.force_login(world.users["secretary"])
    url = reverse("originality:library_upload", kwargs={"org_code": "BRANCH"})
    response = client.post(url, {"file": SimpleUploadedFile("big.txt", b"x" * (6 * 1024 * 1024))})
    assert response.status_code == 507
    assert "存储空间已满" in response.content.decode()
    assert client.get("/").status_code == 200
