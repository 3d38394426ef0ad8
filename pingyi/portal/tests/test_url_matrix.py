"""Every URL, every method it accepts, in the states that matter, against every persona, as
docs/permissions.md and docs/permissions/<app>.md state it (the format is explained there).

A URL without a row fails `test_every_url_has_a_row`; a method the view accepts without a row, or a row
for a method it refuses, fails `test_rows_list_exactly_the_methods_each_view_accepts`.
Sample URL arguments come from each app's `tests/url_samples.py` (an app hook, docs/apps.md).

Speed: the world and the samples the selected cases need are built once for the module, inside a
transaction rolled back at its end; each case runs in a savepoint of its own (pytest-django's `db`),
so a POST that changes a sample never reaches the next case.
"""

import re
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from conftest import PERSONAS, World, build_world, ensure_campaign_templates
from pingyi.core.hooks import app_modules

DOCS = [
    Path(settings.BASE_DIR) / "docs" / "permissions.md",
    *sorted((Path(settings.BASE_DIR) / "docs" / "permissions").glob("*.md")),  # one file per domain app
]
SKIP_NAMESPACES = {"admin"}  # Django admin: staff only, guarded by Django itself
SKIP_NAMES = {"login", "logout", "set_language"}  # public by nature
# The methods a row may name. HEAD and OPTIONS are left to Django (a require_GET view refuses HEAD,
# a class-based view answers OPTIONS); nothing of the project's own hangs on them.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
COLUMNS = ["URL name", "method", "state", *PERSONAS]
CELL = re.compile(r"^(ok|refused|login|[1-5]\d\d)$")

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Row:
    name: str
    methods: tuple[str, ...]
    state: str
    cells: dict[str, str]
    where: str  # file:line, for the failure message


def _rows() -> list[Row]:
    rows = []
    for doc in DOCS:
        header: list[str] = []
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), start=1):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells and cells[0] == "URL name":
                header = cells
                assert header == COLUMNS, f"{doc.name}:{number}: the columns must be {' | '.join(COLUMNS)}"
                continue
            if header and len(cells) == len(header) and re.match(r"^[\w-]+:[\w-]+$", cells[0]):
                where = f"{doc.relative_to(settings.BASE_DIR)}:{number}"
                methods = tuple(m.strip() for m in cells[1].split(","))
                assert set(methods) <= set(METHODS), f"{where}: unknown method in {cells[1]!r}"
                values = dict(zip(PERSONAS, cells[3:], strict=True))
                bad = {p: v for p, v in values.items() if not CELL.match(v)}
                assert not bad, f"{where}: cells must be ok, refused, login or a status code: {bad}"
                rows.append(Row(cells[0], methods, cells[2], values, where))
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


@cache
def _kwargs(name: str) -> dict[str, Any]:
    """The URL's kwarg names and their converters (kwarg names are unique across the project, so one
    sample per name serves every URL)."""
    namespace, _, short = name.rpartition(":")
    resolver = get_resolver()
    for ns in filter(None, namespace.split(":")):
        resolver = resolver.namespace_dict[ns][1]
    possibilities, _pattern, _defaults, converters = resolver.reverse_dict.getlist(short)[0]
    return {param: converters.get(param) for param in possibilities[0][1]}


ROWS = _rows()
NAMES = {row.name for row in ROWS}


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    state: str
    persona: str
    expected: str
    where: str

    @property
    def id(self) -> str:
        return "-".join(filter(None, [self.name, self.method, self.state, self.persona]))


CASES = [
    Case(row.name, method, row.state, persona, row.cells[persona], row.where)
    for row in ROWS
    for method in row.methods
    for persona in PERSONAS
]


def test_every_url_has_a_row() -> None:
    missing = sorted(set(_url_names()) - NAMES)
    assert not missing, f"add these URLs to docs/permissions.md or docs/permissions/<app>.md: {missing}"


def test_no_stale_rows() -> None:
    stale = sorted(NAMES - set(_url_names()))
    assert not stale, f"the permission tables list URLs that no longer exist: {stale}"


def test_no_row_twice() -> None:
    seen: dict[tuple[str, str, str], str] = {}
    twice = []
    for row in ROWS:
        for method in row.methods:
            key = (row.name, method, row.state)
            if key in seen:
                twice.append(f"{row.where} repeats {seen[key]}")
            seen[key] = row.where
    assert not twice, twice


class Samples:
    """The apps' sample URL arguments (and POST bodies), built once for the module.

    An app's `samples(world)` runs only when a selected case needs a kwarg, or is a URL, in its
    PROVIDES (an app without PROVIDES always runs). Keys: a kwarg name (`round_id`) is the sample
    the prose of the app's table describes; `round_id@closed` the same kind of object in that state;
    a URL name (`evaluation:codes`, or `evaluation:codes@closed`) the form data sent to it (for a GET,
    its query).
    """

    def __init__(self, world: World, wanted: set[str]) -> None:
        self.world = world
        self.values: dict[str, Any] = {}
        for module in app_modules("tests.url_samples"):
            provides = getattr(module, "PROVIDES", None)
            if provides is None or set(provides) & wanted:
                found = module.samples(world)
                clash = set(found) & set(self.values)
                assert not clash, f"{module.__name__} gives {sorted(clash)} again: one app per kwarg name"
                self.values.update(found)
        # One login per persona for the module (a third of a case's time if each case logged in):
        # a case that changes the session (a password change) has it back once its savepoint rolls back.
        self.sessions = {}
        for persona, user in world.users.items():
            client = Client()
            client.force_login(user)
            self.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return client

    def url(self, case: Case) -> str:
        kwargs = _kwargs(case.name)
        stated = [param for param in kwargs if f"{param}@{case.state}" in self.values]
        if case.state:
            assert stated, f"{case.where}: no sample in state {case.state!r} (a `<kwarg>@{case.state}` key)"
        values = {param: self.values[f"{param}@{case.state}" if param in stated else param] for param in kwargs}
        return reverse(case.name, kwargs=values)

    def data(self, case: Case) -> dict[str, Any]:
        data = self.values.get(f"{case.name}@{case.state}", self.values.get(case.name, {}))
        for value in data.values():
            if hasattr(value, "seek"):
                value.seek(0)  # an uploaded file, read by the previous case
        return data


@pytest.fixture(scope="module")
def samples(request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any) -> Iterator[Samples]:
    """The world with the retired persona, and the samples of the cases selected in this module."""
    here = request.node.path
    wanted = {
        param
        for item in request.session.items
        if item.path == here and hasattr(item, "callspec") and "case" in item.callspec.params
        for param in [*_kwargs(item.callspec.params["case"].name), item.callspec.params["case"].name]
    }
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            ensure_campaign_templates()  # a transactional test that ran before flushed them
            yield Samples(build_world(retired=True), wanted)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _refused(response: HttpResponse) -> bool:
    """The request passed the permission checks but was turned away, and the user is told why: an error
    message, a form shown again with its errors, or the page's `error` line (the ballot, the autosave)."""
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = [*getattr(storage, "_loaded_messages", []), *getattr(storage, "_queued_messages", [])]
    if any(message.level >= message_levels.ERROR for message in queued):
        return True
    contexts = response.context
    if contexts is None:
        contexts = []
    elif hasattr(contexts, "flatten"):  # one template rendered: a Context; more: a ContextList of them
        contexts = [contexts]
    for context in contexts:
        for key, value in context.flatten().items():
            if key == "error" and value:
                return True
            if isinstance(value, BaseForm) and value.is_bound and value.errors:
                return True
            if isinstance(value, BaseFormSet) and value.is_bound and value.total_error_count():
                return True
    return False


def _outcome(response: HttpResponse) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    if response.status_code >= 400:
        return str(response.status_code)
    return "refused" if _refused(response) else "ok"


def send(client: Client, method: str, url: str, data: dict[str, Any]) -> HttpResponse:
    if method == "GET":
        return client.get(url, data)  # the query string
    if method == "POST":
        return client.post(url, data)  # a form post, as the page sends it
    return client.generic(method, url)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_url_as_persona(samples: Samples, case: Case) -> None:
    response = send(samples.client(case.persona), case.method, samples.url(case), samples.data(case))
    if case.expected.isdigit():  # a status code, exactly (302: turned to another page, not to the login)
        answered = str(response.status_code) if _outcome(response) != "login" else "login"
    else:
        answered = _outcome(response)
    assert answered == case.expected, f"{case.where}: {case.id} answered {response.status_code} ({answered})"


def _dummy(converter: Any) -> Any:
    """An argument no sample has: an accepted method then answers 404 without touching a sample."""
    if isinstance(converter, UUIDConverter):
        return uuid.uuid4()
    if isinstance(converter, IntConverter):
        return 987654321
    return "no-such-thing"


def test_rows_list_exactly_the_methods_each_view_accepts(samples: Samples) -> None:
    """A method is accepted unless the view answers 405 (asked as the administrator, so no login or role
    check stands in front of the method check). Every state a URL has rows for lists every accepted method."""
    admin = Client()
    admin.force_login(samples.world.users["admin"])
    listed: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in ROWS:
        listed[row.name][row.state].update(row.methods)
    problems = []
    for name in sorted(set(_url_names()) & NAMES):
        url = reverse(name, kwargs={param: _dummy(c) for param, c in _kwargs(name).items()})
        with transaction.atomic():
            accepted = {method for method in METHODS if admin.generic(method, url).status_code != 405}
            transaction.set_rollback(True)
        for state, methods in listed[name].items():
            where = f"{name} ({state})" if state else name
            if accepted - methods:
                problems.append(f"{where}: no row for {sorted(accepted - methods)}, which the view accepts")
            if methods - accepted:
                problems.append(f"{where}: rows for {sorted(methods - accepted)}, which the view refuses (405)")
    assert not problems, "\n".join(problems)
