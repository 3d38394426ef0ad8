"""/healthz: 200 when the database (and, when configured, Redis and a worker) answer, 503 otherwise."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from pingyi.core import health


@pytest.mark.django_db
def test_healthy_embedded_setup_checks_only_the_database(settings: Any) -> None:
    settings.REDIS_URL = ""
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database"}
    assert body["checks"]["database"]["detail"] == connection.vendor
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_database_down_answers_503(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> str:
        raise health.Unhealthy("database did not answer")

    monkeypatch.setattr(health, "_database", broken)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "ms": 0, "detail": "database did not answer"}


@pytest.mark.django_db
def test_with_redis_configured_the_cache_and_a_worker_are_asked(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # the cache itself stays the test's local-memory one
    monkeypatch.setattr(health.current_app.control, "ping", lambda timeout, limit: [])  # no worker running
    body = Client().get("/healthz")
    assert body.status_code == 503
    checks = body.json()["checks"]
    assert checks["redis"]["ok"] is True
    assert checks["worker"] == {"ok": False, "ms": checks["worker"]["ms"], "detail": "no worker answered"}

    monkeypatch.setattr(health.current_app.control, "ping", lambda timeout, limit: [{"celery@host": {"ok": "pong"}}])
    assert Client().get("/healthz").status_code == 200


@pytest.mark.django_db
def test_an_unexpected_error_shows_its_kind_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def leaky() -> str:
        raise OSError("connection to postgres://pingyi:secret@db-host failed")

    monkeypatch.setattr(health, "_database", leaky)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert "secret" not in response.content.decode()
    assert response.json()["checks"]["database"]["detail"] == "OSError"


@pytest.mark.django_db
def test_post_is_refused() -> None:
    assert Client().post("/healthz").status_code == 405
