"""Shared test fixtures: a small organisation tree, the named personas, and the one way to add members.

province > city > district (督导组 supervises here)
  > bureau party group (保先办 works here) > branch (secretary, committee, member; retired on request) > group
  > other party group > other branch (the outsider is its secretary)
"""

import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client, override_settings
from django.test.testcases import LiveServerThread
from django.utils import timezone

from pingyi.org import services as org_services
from pingyi.org.models import MemberCategory, MemberStatus, OrgType, OrgUnit, Person, Role

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by test set-up happen outside it, so Django's async-safety check does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PERSONAS = ["admin", "secretary", "committee", "office", "supervisor", "member", "retired", "outsider", "anonymous"]
PASSWORD = "test-pass-12345"


@dataclass
class World:
    orgs: dict[str, OrgUnit] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client


def _user(username: str, **extra: Any) -> Any:
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)


CAMPAIGN_START = date(2005, 1, 10)  # the source's campaign began in January 2005


def ten_days_ago() -> date:
    """A campaign started then counts what a test does today (talks of this year, meetings held soon)."""
    return timezone.localdate() - timedelta(days=10)


def ensure_campaign_templates() -> None:
    """The shipped templates, loaded again when a transactional (browser) test flushed the data migration's rows."""
    from django.core.management import call_command

    from pingyi.campaigns.models import CampaignTemplate

    if not CampaignTemplate.objects.exists():
        call_command("load_campaign_templates", verbosity=0)


@pytest.fixture
def campaign_templates(world: "World") -> None:
    ensure_campaign_templates()


def open_campaign(world: World, code: str = "advanced-nature-education", **extra: Any) -> Any:
    """A campaign of the test branch from a shipped template, its first stage open."""
    from pingyi.campaigns import services
    from pingyi.campaigns.models import CampaignTemplate

    ensure_campaign_templates()
    return services.create_campaign(
        org=extra.pop("org", world.orgs["branch"]),
        template=CampaignTemplate.objects.get(code=code),
        title=extra.pop("title", ""),
        starts_on=extra.pop("starts_on", CAMPAIGN_START),
        by=world.users["secretary"],
        **extra,
    )


@pytest.fixture
def campaign_options() -> dict[str, Any]:
    """What `campaign` passes to `open_campaign`; a test module overrides this fixture to change it."""
    return {}


@pytest.fixture(autouse=True, scope="session")
def short_writings_allowed() -> Iterator[None]:
    """Tests write a sentence where a member writes a page: the length rule is off here (for the whole
    session, so module-scoped worlds such as the URL matrix's samples get it too), and its own tests
    (pingyi/writings/tests/test_lengths.py) and the demo's put the shipped limits back."""
    with override_settings(WRITING_LENGTHS={"reflection": (1, 50_000), "self_analysis": (1, 50_000)}):
        yield


@pytest.fixture
def campaign(world: World, campaign_options: dict[str, Any]) -> Any:
    """The advanced-nature campaign of the test branch with its first stage (study) open (unless the
    module's `campaign_options` name another template or start)."""
    return open_campaign(world, **campaign_options)


@pytest.fixture(autouse=True, scope="session")
def fast_passwords() -> Iterator[None]:
    """Hashing a password the production way takes a third of a second; tests log in hundreds of times."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def language_put_back() -> Iterator[None]:
    """A request in English leaves English active in the thread (LocaleMiddleware activates, nothing
    deactivates): a later test that calls a service and reads its Chinese message would read English."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


class _OneRequestAtATime(ThreadedWSGIServer):
    """The browser tests' live server, letting Django handle one request at a time.

    On SQLite the test database lives in memory and the server's threads share its one connection:
    two requests at once (an autosave racing a submit) would start a transaction inside another's
    ("cannot start a transaction within a transaction"). Connections are still accepted and read on
    threads of their own, so an idle socket the browser opened ahead of time blocks nobody.
    """

    def set_app(self, application: Any) -> None:
        lock = threading.Lock()

        def one_at_a_time(environ: Any, start_response: Any) -> Any:
            with lock:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


@pytest.fixture(autouse=True, scope="session")
def _serial_live_server_on_sqlite() -> Iterator[None]:
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    threaded, LiveServerThread.server_class = LiveServerThread.server_class, _OneRequestAtATime
    yield
    LiveServerThread.server_class = threaded


def _org(world: World, org: str | OrgUnit | None) -> OrgUnit | None:
    return world.orgs[org] if isinstance(org, str) else org


def add_member(
    world: World,
    name: str,
    *,
    login: str = "",
    org: str | OrgUnit = "branch",
    group: str | OrgUnit | None = None,
    probationary: bool = False,
    status: str = MemberStatus.SERVING,
    leader: bool = False,
    committee: bool = False,
    posts: Sequence[dict[str, Any]] = (),
    **fields: Any,
) -> Person:
    """A party member of the branch (by default) through the services, as the roster page would add them.

    org, group: a key of `world.orgs` or a node. login: a username; the member then logs in with
    PASSWORD and is `world.users[login]`. leader: a bureau leadership post (副局长); committee: a seat
    on the branch committee (支部委员); posts: any other posts. Other fields go to `save_person`
    (`kind=PersonKind.STAFF, category=""` for non-party staff). The person is `world.people[login or name]`.
    """
    fields.setdefault("category", MemberCategory.PROBATIONARY if probationary else MemberCategory.FORMAL)
    node = _org(world, org)
    assert node is not None
    person = org_services.save_person(org=node, by=None, name=name, group=_org(world, group), status=status, **fields)
    wanted = list(posts)
    if committee:
        wanted.append({"org": world.orgs["branch"], "title": "支部委员", "is_leadership": False, "is_committee": True})
    if leader:
        wanted.append({"org": world.orgs["bureau"], "title": "副局长", "is_leadership": True, "is_committee": False})
    if wanted:
        org_services.set_posts(person=person, posts=wanted, by=None)
    if login:
        world.users[login] = org_services.create_account(person=person, username=login, password=PASSWORD, by=None)
    world.people[login or name] = person
    return person


def add_members(world: World, count: int, **options: Any) -> list[Person]:
    """`count` members named 党员01, 党员02, … with logins rater1, rater2, … (options as for add_member)."""
    return [add_member(world, f"党员{n:02d}", login=f"rater{n}", **options) for n in range(1, count + 1)]


def build_world(*, retired: bool = False) -> World:
    """The tree and the personas (see the module's docstring); the `world` fixture and the URL matrix use it."""
    w = World()
    node = org_services.create_org_unit
    w.orgs["province"] = node(parent=None, type=OrgType.PROVINCE, code="P", name="某省", by=None)
    w.orgs["city"] = node(parent=w.orgs["province"], type=OrgType.CITY, code="P-C", name="某市", by=None)
    w.orgs["district"] = node(parent=w.orgs["city"], type=OrgType.DISTRICT, code="P-C-D", name="某区委", by=None)
    w.orgs["bureau"] = node(
        parent=w.orgs["district"], type=OrgType.PARTY_GROUP, code="BUREAU", name="区劳动和社会保障局党组", by=None
    )
    w.orgs["branch"] = node(parent=w.orgs["bureau"], type=OrgType.BRANCH, code="BRANCH", name="局机关党支部", by=None)
    w.orgs["group"] = node(parent=w.orgs["branch"], type=OrgType.GROUP, code="BRANCH-G1", name="第一党小组", by=None)
    w.orgs["other_bureau"] = node(
        parent=w.orgs["district"], type=OrgType.PARTY_GROUP, code="OTHER", name="区民政局党组", by=None
    )
    w.orgs["other_branch"] = node(
        parent=w.orgs["other_bureau"], type=OrgType.BRANCH, code="OTHER-BRANCH", name="民政局机关党支部", by=None
    )

    w.users["admin"] = get_user_model().objects.create_superuser("admin", password=PASSWORD)
    grants = {
        "secretary": ("branch", Role.SECRETARY),
        "committee": ("branch", Role.COMMITTEE),
        "office": ("bureau", Role.OFFICE),
        "supervisor": ("district", Role.SUPERVISOR),
        "outsider": ("other_branch", Role.SECRETARY),
    }
    for persona, (org_key, role) in grants.items():
        w.users[persona] = _user(persona)
        org_services.grant_role(user=w.users[persona], org=w.orgs[org_key], role=role, by=None)

    w.users["member"] = _user("member", first_name="王党员")
    w.people["member"] = org_services.save_person(
        org=w.orgs["branch"],
        by=None,
        name="王党员",
        gender="F",
        birth_date=date(1949, 12, 31),
        id_number="11010519491231002X",
        phone="13800138000",
        category=MemberCategory.FORMAL,
        group=w.orgs["group"],
    )
    w.people["member"].user = w.users["member"]
    w.people["member"].save(update_fields=["user"])
    if retired:
        add_retired(w)
    return w


def add_retired(world: World) -> Person:
    """The `retired` persona: a retired party member of the branch with a login, in no group and, like
    some in DOMAIN.md, without a phone. A member by role. Not in every world: it would change each count
    of the branch's members; the URL matrix and the tests that need it add it."""
    return add_member(
        world, "刘退休", login="retired", status=MemberStatus.RETIRED, gender="M", birth_date=date(1940, 5, 1)
    )


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("PINGYI_CHROMIUM", "/usr/bin/chromium"),
        "args": ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """Tests evaluate their own expressions in the page (wait_for_function), which the Content Security
    Policy would refuse as eval; portal/tests/test_browser_csp.py turns this off and checks the policy."""
    return {**browser_context_args, "bypass_csp": True}


def login_in_browser(page: Any, live_server: Any, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
