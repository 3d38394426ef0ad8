"""The demo branch of DOMAIN.md: its tree, its 29 members, staff, contacts, logins and roles.

Built through the services like any real data; everything is flagged `is_demo` and named with
the 【演示】 marker. Running it again changes nothing. The first demo hook (docs/apps.md): it fills
`nodes` and `people` (login name -> Person) for the apps above it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from pingyi.core.citizen_id import id_check_digit
from pingyi.core.hooks import DEMO, DEMO_ACTOR

from . import services as org
from .models import ContactType, MemberCategory, MemberStatus, OrgType, OrgUnit, Person, PersonKind, Role

# (name, gender, born, joined, status, category, group, posts, login)
# posts: (node key, title, leadership, committee)
MEMBERS: list[tuple[str, str, str, str, str, str, str, list[tuple[str, str, bool, bool]], str]] = [
    (
        "林志明",
        "M",
        "1958-03-12",
        "1980-06-20",
        "serving",
        "formal",
        "g1",
        [("branch", "支部书记", False, True), ("bureau", "副局长", True, False)],
        "secretary",
    ),
    (
        "张建国",
        "M",
        "1956-09-02",
        "1978-07-01",
        "serving",
        "formal",
        "g1",
        [("bureau", "局长", True, False), ("branch", "支部委员", False, True)],
        "leader",
    ),
    (
        "陈秀英",
        "F",
        "1965-11-23",
        "1988-05-04",
        "serving",
        "formal",
        "g1",
        [("branch", "组织委员", False, True), ("office_admin", "办公室主任", False, False)],
        "committee",
    ),
    (
        "黄伟",
        "M",
        "1968-01-15",
        "1992-07-01",
        "serving",
        "formal",
        "g2",
        [("branch", "宣传委员", False, True), ("bureau", "副局长", True, False)],
        "",
    ),
    ("吴丽华", "F", "1970-04-30", "1995-10-08", "serving", "formal", "g2", [("branch", "纪检委员", False, True)], ""),
    (
        "郑文",
        "M",
        "1972-08-19",
        "1997-06-30",
        "serving",
        "formal",
        "g1",
        [("campaign_office", "保先办干事", False, False)],
        "office",
    ),
    ("王海燕", "F", "1975-02-11", "1999-07-01", "serving", "formal", "g1", [], "member"),
    ("李明", "M", "1976-06-06", "2000-12-01", "serving", "formal", "g1", [], ""),
    ("刘芳", "F", "1978-10-10", "2001-07-01", "serving", "formal", "g1", [], ""),
    ("杨军", "M", "1969-12-25", "1993-05-20", "serving", "formal", "g1", [], ""),
    ("赵敏", "F", "1980-03-08", "2003-06-15", "serving", "formal", "g2", [], ""),
    ("周强", "M", "1973-07-07", "1998-01-10", "serving", "formal", "g2", [], ""),
    ("徐静", "F", "1982-05-21", "2004-07-01", "serving", "probationary", "g2", [], ""),
    ("孙涛", "M", "1977-09-30", "2002-11-11", "serving", "formal", "g2", [], ""),
    ("马丽", "F", "1974-01-01", "1999-03-15", "serving", "formal", "g2", [], ""),
    ("朱斌", "M", "1971-04-04", "1996-06-01", "serving", "formal", "g1", [], ""),
    ("胡燕", "F", "1979-08-08", "2002-07-01", "serving", "formal", "g1", [], ""),
    ("郭亮", "M", "1983-11-11", "2004-09-01", "serving", "probationary", "g2", [], ""),
    ("何平", "M", "1966-02-02", "1990-07-01", "serving", "formal", "g2", [], ""),
    ("高红", "F", "1967-06-18", "1991-12-20", "serving", "formal", "g1", [], ""),
    ("罗斌", "M", "1962-10-01", "1986-07-01", "serving", "formal", "g2", [], ""),
    ("梁英", "F", "1964-12-12", "1987-06-01", "serving", "formal", "g1", [], ""),
    ("宋建华", "M", "1961-05-05", "1985-07-01", "serving", "formal", "g2", [], ""),
    ("谢国庆", "M", "1940-10-01", "1962-07-01", "retired", "formal", "retired", [], "retired"),
    ("韩桂兰", "F", "1943-03-03", "1965-05-04", "retired", "formal", "retired", [], ""),
    ("唐振华", "M", "1945-07-15", "1970-07-01", "retired", "formal", "retired", [], ""),
    ("冯志刚", "M", "1963-09-09", "1988-07-01", "away", "formal", "g2", [], "away"),
    ("董秀珍", "F", "1954-04-20", "1976-07-01", "left_post", "formal", "g1", [], ""),
    ("曹永福", "M", "1953-08-08", "1975-10-01", "left_post", "formal", "g2", [], ""),
]

STAFF = [
    ("钱晓东", "M", "1985-02-14", "office_employment"),
    ("蒋丽", "F", "1986-09-09", "office_insurance"),
    ("沈洁", "F", "1984-12-01", "office_admin"),
]

CONTACTS = [
    ("许经理", ContactType.EMPLOYER, "城关鞋业有限公司"),
    ("邓主任", ContactType.EMPLOYER, "工业园区服务中心"),
    ("彭科长", ContactType.AGENCY, "区人事局"),
    ("东垅村 林村主任", ContactType.VILLAGE, "东垅村村委会"),
    ("东垅村 陈代表", ContactType.VILLAGE, "东垅村村民代表"),
]

LOGINS = {
    "secretary": ("支部书记", "局机关党支部"),
    "committee": ("支委委员（组织委员）", "局机关党支部"),
    "office": ("保先办工作人员", "局党组保先办"),
    "supervisor": ("区委督导组成员", "区委（整个区）"),
    "member": ("普通党员（手机上看“我的任务”）", "局机关党支部"),
    "retired": ("退休党员", "局机关党支部"),
    "away": ("外出党员", "局机关党支部"),
    "leader": ("局长（兼支部委员）", "局机关党支部"),
    "admin": ("系统管理员", "全部"),
}


def demo_id_number(seq: int, born: date, gender: str) -> str:
    """A valid-looking ID (region 350102) whose check digit is right; demo people only."""
    order = seq * 2 + (1 if gender == "M" else 0)
    first17 = f"350102{born:%Y%m%d}{order % 1000:03d}"
    return first17 + id_check_digit(first17)


def _node(key: str, nodes: dict[str, OrgUnit], parent: str | None, type_: str, code: str, name: str) -> None:
    existing = OrgUnit.objects.filter(code=code).first()
    nodes[key] = existing or org.create_org_unit(
        parent=nodes[parent] if parent else None,
        type=type_,
        code=code,
        name=f"{name}{DEMO}",
        by=DEMO_ACTOR,
        is_demo=True,
    )


def _tree() -> dict[str, OrgUnit]:
    n: dict[str, OrgUnit] = {}
    _node("province", n, None, OrgType.PROVINCE, "DEMO-P", "某省")
    _node("city", n, "province", OrgType.CITY, "DEMO-C", "某市")
    _node("district", n, "city", OrgType.DISTRICT, "DEMO-D", "某区区委")
    _node("supervision", n, "district", OrgType.SUPERVISION_GROUP, "DEMO-D-SG", "区委第三督导组")
    _node("bureau", n, "district", OrgType.PARTY_GROUP, "DEMO-BUREAU", "区劳动和社会保障局党组")
    _node("campaign_office", n, "bureau", OrgType.CAMPAIGN_OFFICE, "DEMO-BXB", "局保先办")
    _node("branch", n, "bureau", OrgType.BRANCH, "DEMO-BRANCH", "局机关党支部")
    _node("g1", n, "branch", OrgType.GROUP, "DEMO-G1", "第一党小组")
    _node("g2", n, "branch", OrgType.GROUP, "DEMO-G2", "第二党小组")
    _node("retired", n, "branch", OrgType.GROUP, "DEMO-G3", "离退休党员小组")
    _node("office_admin", n, "bureau", OrgType.OFFICE, "DEMO-OFFICE", "办公室")
    _node("office_employment", n, "bureau", OrgType.OFFICE, "DEMO-JOBS", "就业股")
    _node("office_insurance", n, "bureau", OrgType.OFFICE, "DEMO-INSURANCE", "社会保险股")
    _node("point1", n, "bureau", OrgType.LIAISON_POINT, "DEMO-LP1", "城关社区劳动保障站")
    _node("point2", n, "bureau", OrgType.LIAISON_POINT, "DEMO-LP2", "工业园区企业服务站")
    _node("point3", n, "bureau", OrgType.LIAISON_POINT, "DEMO-LP3", "城南乡劳动保障所")
    _node("village", n, "bureau", OrgType.VILLAGE, "DEMO-VILLAGE", "东垅村")
    return n


def _login(username: str, person: Person | None, display: str) -> Any:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        if person is not None:
            user = org.create_account(person=person, username=username, password=settings.DEMO_PASSWORD, by=DEMO_ACTOR)
        else:
            user = User.objects.create_user(username=username, password=settings.DEMO_PASSWORD, first_name=display)
    return user


def _people(nodes: dict[str, OrgUnit]) -> dict[str, Person]:
    logins: dict[str, Person] = {}
    branch = nodes["branch"]
    for seq, (name, gender, born, joined, status, category, group, posts, login) in enumerate(MEMBERS, start=1):
        born_on = date.fromisoformat(born)
        joined_on = date.fromisoformat(joined)
        id_number = demo_id_number(seq, born_on, gender)
        person = org.save_person(
            org=branch,
            by=DEMO_ACTOR,
            person=Person.objects.filter(id_number=id_number).first(),
            is_demo=True,
            kind=PersonKind.MEMBER,
            name=name,
            gender=gender,
            birth_date=born_on,
            id_number=id_number,
            phone=f"1380591{seq:04d}",
            status=MemberStatus(status),
            category=MemberCategory(category),
            joined_on=joined_on,
            confirmed_on=None if category == "probationary" else joined_on + timedelta(days=365),
            group=nodes[group],
        )
        org.set_posts(
            person=person,
            posts=[
                {"org": nodes[k], "title": t, "is_leadership": lead, "is_committee": com} for k, t, lead, com in posts
            ],
            by=DEMO_ACTOR,
        )
        if login:
            logins[login] = person
    for seq, (name, gender, born, office) in enumerate(STAFF, start=100):
        id_number = demo_id_number(seq, date.fromisoformat(born), gender)
        org.save_person(
            org=nodes[office],
            by=DEMO_ACTOR,
            person=Person.objects.filter(id_number=id_number).first(),
            is_demo=True,
            kind=PersonKind.STAFF,
            name=name,
            gender=gender,
            birth_date=date.fromisoformat(born),
            id_number=id_number,
        )
    for name, contact_type, affiliation in CONTACTS:
        where = nodes["village"] if contact_type == ContactType.VILLAGE else nodes["bureau"]
        existing = Person.objects.filter(org=where, name=name, kind=PersonKind.CONTACT).first()
        org.save_person(
            org=where,
            by=DEMO_ACTOR,
            person=existing,
            is_demo=True,
            kind=PersonKind.CONTACT,
            name=name,
            contact_type=contact_type,
            affiliation=affiliation,
        )
    supervisor = Person.objects.filter(org=nodes["supervision"], name="区委督导组 方组长").first()
    logins["supervisor"] = org.save_person(
        org=nodes["supervision"],
        by=DEMO_ACTOR,
        person=supervisor,
        is_demo=True,
        kind=PersonKind.STAFF,
        name="区委督导组 方组长",
    )
    return logins


def _roles(nodes: dict[str, OrgUnit], people: dict[str, Person]) -> None:
    for username, person in people.items():
        _login(username, person, person.name)
    grants = {
        "secretary": ("branch", Role.SECRETARY),
        "committee": ("branch", Role.COMMITTEE),
        "leader": ("branch", Role.COMMITTEE),
        "office": ("bureau", Role.OFFICE),
        "supervisor": ("district", Role.SUPERVISOR),
    }
    User = get_user_model()
    for username, (key, role) in grants.items():
        org.grant_role(user=User.objects.get(username=username), org=nodes[key], role=role, by=DEMO_ACTOR)
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", password=settings.DEMO_PASSWORD, first_name="系统管理员")


def seed(nodes: dict[str, OrgUnit], people: dict[str, Person]) -> None:
    nodes.update(_tree())
    people.update(_people(nodes))
    _roles(nodes, people)
