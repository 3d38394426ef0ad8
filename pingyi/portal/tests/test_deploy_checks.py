"""pingyi.W001: several web workers without a shared cache (the public form's limits would be per worker)."""

from typing import Any

from django.core import checks

from pingyi.core.checks import shared_cache_for_several_workers

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x:6379/0"}}


def test_one_worker_needs_no_shared_cache(settings: Any) -> None:
    settings.WEB_WORKERS, settings.CACHES = 1, LOCAL
    assert shared_cache_for_several_workers() == []


def test_several_workers_without_redis_warn(settings: Any) -> None:
    settings.WEB_WORKERS, settings.CACHES = 4, LOCAL
    [warning] = shared_cache_for_several_workers()
    assert warning.id == "pingyi.W001" and warning.level == checks.WARNING
    assert "4 web workers" in warning.msg


def test_several_workers_with_redis_are_fine(settings: Any) -> None:
    settings.WEB_WORKERS, settings.CACHES = 4, REDIS
    assert shared_cache_for_several_workers() == []


def test_the_check_runs_only_with_deploy(settings: Any) -> None:
    settings.WEB_WORKERS, settings.CACHES = 4, LOCAL
    assert "pingyi.W001" not in {m.id for m in checks.run_checks(include_deployment_checks=False)}
    assert "pingyi.W001" in {m.id for m in checks.run_checks(include_deployment_checks=True)}
