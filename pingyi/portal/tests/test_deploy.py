import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(settings.BASE_DIR),
        # The browser tests' async-safety switch is not part of a real deployment.
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "PINGYI_SECRET_KEY": "a-long-random-production-key-for-this-test-only-0123456789abcdef",
    "PINGYI_ALLOWED_HOSTS": "pingyi.example.org",
    "PINGYI_AUDIT_KEY": "another-long-random-key-kept-outside-the-database-0123456789",
}


def test_check_deploy_is_clean_in_production_settings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _manage("check", **{**PRODUCTION, "PINGYI_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "PINGYI_SECRET_KEY" in result.stderr


def test_check_deploy_warns_about_several_workers_without_redis() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, WEB_CONCURRENCY="4")
    assert result.returncode != 0
    assert "pingyi.W001" in result.stdout + result.stderr
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        WEB_CONCURRENCY="4",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_collectstatic_succeeds_with_the_production_storage(tmp_path: Path) -> None:
    """The manifest storage follows every reference in CSS and JS; a dangling one (a source map that is
    not vendored) fails collectstatic, and every page then answers 500 in production."""
    static_root = tmp_path / "static"
    env = {**PRODUCTION, "PINGYI_STATIC_ROOT": str(static_root)}
    result = _manage("collectstatic", "--noinput", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (static_root / "staticfiles.json").read_text()
    assert "vendor/bootstrap.min.css" in manifest and "vendor/bootstrap.bundle.min.js" in manifest
    assert any(static_root.glob("vendor/bootstrap.min.*.css.gz"))


def test_debug_is_off_unless_turned_on() -> None:
    env = {**{k: v for k, v in os.environ.items() if k != "DEBUG"}, **PRODUCTION}
    del env["DEBUG"]
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=Path(settings.BASE_DIR),
        env={**env, "DJANGO_SETTINGS_MODULE": "pingyi.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.stdout.strip() == "False", shown.stderr


def test_the_web_application_refuses_the_development_key() -> None:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "PINGYI_SECRET"))}, "DEBUG": "0"}
    result = subprocess.run(
        [sys.executable, "-c", "import pingyi.wsgi"],
        cwd=Path(settings.BASE_DIR),
        env={**env, "PINGYI_ALLOWED_HOSTS": "pingyi.example.org"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "PINGYI_SECRET_KEY" in result.stderr


def test_check_deploy_asks_for_an_audit_key_of_its_own() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "PINGYI_AUDIT_KEY": ""})
    assert result.returncode != 0 and "pingyi.W002" in result.stderr
