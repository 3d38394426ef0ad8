"""Every URL against every role, as docs/permissions.md states it.

A new URL without a row in that table fails `test_every_url_has_a_row`.
Sample URL arguments come from each app's `tests/url_samples.py` (an app hook, docs/apps.md:
`samples(world) -> dict[kwarg name, value]`).
"""

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS, World
from pingyi.core.hooks import app_modules

DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"
APP_DOCS = sorted((Path(settings.BASE_DIR) / "docs" / "permissions").glob("*.md"))  # one file per domain app
SKIP_NAMESPACES = {"admin"}  # Django admin: staff only, guarded by Django itself
SKIP_NAMES = {"login", "logout", "set_language"}  # public by nature


def _matrix() -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    header: list[str] = []
    lines = [line for doc in (DOC, *APP_DOCS) for line in doc.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == "URL name":
            header = cells
            continue
        if header and len(cells) == len(header) and re.match(r"^[\w-]+:[\w-]+$", cells[0]):
            rows[cells[0]] = dict(zip(header[1:], cells[1:], strict=True))
    return rows


def _url_names(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    names = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace or ""
            if namespace in SKIP_NAMESPACES:
                continue
            names += _url_names(entry, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in SKIP_NAMES:
            names.append(f"{prefix}{entry.name}")
    return names


MATRIX = _matrix()


def test_every_url_has_a_row() -> None:
    missing = sorted(set(_url_names()) - set(MATRIX))
    assert not missing, f"add these URLs to docs/permissions.md: {missing}"


def test_no_stale_rows() -> None:
    stale = sorted(set(MATRIX) - set(_url_names()))
    assert not stale, f"docs/permissions.md lists URLs that no longer exist: {stale}"


def _samples(world: World, wanted: set[str]) -> dict[str, Any]:
    """Builds only the apps' samples a URL needs: an app's module may declare PROVIDES (its kwarg names)."""
    values: dict[str, Any] = {}
    for module in app_modules("tests.url_samples"):
        provides = getattr(module, "PROVIDES", None)
        if provides is not None and not set(provides) & wanted:
            continue
        values.update(module.samples(world))
    return values


def _kwarg_names(name: str) -> list[str]:
    """URL kwarg names are unique across the project, so one sample per name serves every URL."""
    namespace, _, short = name.rpartition(":")
    resolver = get_resolver()
    for ns in filter(None, namespace.split(":")):
        resolver = resolver.namespace_dict[ns][1]
    possibilities = resolver.reverse_dict.getlist(short)[0][0]
    return list(possibilities[0][1])


CASES = [(name, persona) for name in sorted(MATRIX) for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_url_as_persona(world: World, name: str, persona: str) -> None:
    row = MATRIX[name]
    names = _kwarg_names(name)
    samples = _samples(world, set(names)) if names else {}
    url = reverse(name, kwargs={param: samples[param] for param in names})
    client = world.client(persona)
    response = client.post(url) if row["method"] == "POST" else client.get(url)
    expected = row[persona]
    login = reverse("login")
    redirected_to_login = response.status_code == 302 and response["Location"].startswith(login)
    if expected == "login":
        assert redirected_to_login, f"{name} as {persona}: {response.status_code}"
    elif expected == "ok":
        assert response.status_code < 400 and not redirected_to_login, f"{name} as {persona}: {response.status_code}"
    else:
        assert response.status_code == int(expected), f"{name} as {persona}: {response.status_code}"
