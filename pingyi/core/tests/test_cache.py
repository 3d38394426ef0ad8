"""The Redis cache that keeps one client per pool (pingyi.core.cache): it stores and reads as Django's does."""

import socket

import pytest

from pingyi.core.cache import KeptClientRedisCache


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_one_client_serves_every_operation_and_values_round_trip():
    cache = KeptClientRedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": "pingyi-test-cache"})
    client = cache._cache.get_client(write=True)
    cache.set("answer", {"n": 42}, 30)
    assert cache.get("answer") == {"n": 42}
    cache.set("counter", 1, 30)
    assert cache.incr("counter") == 2
    assert cache._cache.get_client() is client and cache._cache.get_client(write=True) is client
    cache.delete_many(["answer", "counter"])
    assert cache.get("answer") is None
