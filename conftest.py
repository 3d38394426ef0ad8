"""Shared test fixtures: a small organisation tree and the named personas.

province > city > district (督导组 supervises here)
  > bureau party group (保先办 works here) > branch (secretary, committee, member) > group
  > other party group > other branch (the outsider is its secretary)
"""

import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from pingyi.org import services as org_services
from pingyi.org.models import MemberCategory, OrgType, OrgUnit, Person, Role

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by test set-up happen outside it, so Django's async-safety check does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PERSONAS = ["admin", "secretary", "committee", "office", "supervisor", "member", "outsider", "anonymous"]
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


def open_campaign(world: World, code: str = "advanced-nature-education", **extra: Any) -> Any:
    """A campaign of the test branch from a shipped template, its first stage open."""
    from django.core.management import call_command

    from pingyi.campaigns import services
    from pingyi.campaigns.models import CampaignTemplate

    if not CampaignTemplate.objects.filter(code=code).exists():
        call_command("load_campaign_templates", verbosity=0)  # a transactional test flushed the data migration's rows

    return services.create_campaign(
        org=extra.pop("org", world.orgs["branch"]),
        template=CampaignTemplate.objects.get(code=code),
        title=extra.pop("title", ""),
        starts_on=extra.pop("starts_on", CAMPAIGN_START),
        by=world.users["secretary"],
        **extra,
    )


@pytest.fixture
def campaign(world: World) -> Any:
    """The advanced-nature campaign of the test branch with its first stage (study) open."""
    return open_campaign(world)


@pytest.fixture(autouse=True)
def short_writings_allowed(settings: Any) -> None:
    """Tests write a sentence where a member writes a page: the length rule is off here, and its own tests
    (pingyi/writings/tests/test_lengths.py) and the demo's put the shipped limits back."""
    settings.WRITING_LENGTHS = {"reflection": (1, 50_000), "self_analysis": (1, 50_000)}


@pytest.fixture
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: Any, fast_passwords: None) -> World:
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
    return w


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("PINGYI_CHROMIUM", "/usr/bin/chromium"),
        "args": ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update"],
    }


def login_in_browser(page: Any, live_server: Any, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
