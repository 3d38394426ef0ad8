"""What the benchmarks share: scratch databases, and one process per database.

Each database is measured in its own process, configured from DATABASE_URL as
the app is, so the settings module is imported once with the right engine.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def scratch_databases(which: str, name: str) -> Iterator[dict[str, str]]:
    """DATABASE_URLs of empty scratch databases ('both', 'postgres' or 'sqlite'), dropped afterwards."""
    urls: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if which in ("both", "postgres"):
            with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name}")
                admin.execute(f"CREATE DATABASE {name}")
            urls["postgres"] = f"postgres://postgres@127.0.0.1:5432/{name}"
        if which in ("both", "sqlite"):
            urls["sqlite"] = f"sqlite:///{tmp}/{name}.sqlite3"
        try:
            yield urls
        finally:
            if "postgres" in urls:
                with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
                    admin.execute(f"DROP DATABASE IF EXISTS {name}")


def run_child(script: str, label: str, url: str, *args: str) -> dict:
    """Run `script --child LABEL ARGS` against one database; its last stdout line is a JSON dict."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "pingyi.settings"}
    cmd = [sys.executable, script, "--child", label, *args]
    out = subprocess.run(cmd, env=env, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT).stdout
    lines = out.strip().splitlines()
    print("\n".join(lines[:-1]), flush=True)
    return json.loads(lines[-1])


def child_main(measure: Callable[[str], dict], label: str) -> None:
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    print(json.dumps(measure(label)))


def median_ms(func: Callable[[], object], runs: int = 7) -> float:
    func()  # warm the caches, as a page served twice would
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port}")


@contextmanager
def scratch_redis() -> Iterator[str]:
    """The REDIS_URL of a redis-server of its own on a free port (nothing kept on disk), stopped afterwards."""
    import shutil

    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("this benchmark needs redis-server: production shares one cache between its workers")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)
