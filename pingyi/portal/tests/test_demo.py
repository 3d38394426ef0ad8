from django.conf import settings
from django.core.management import call_command
from django.test import Client

from pingyi.campaigns.models import Campaign, Stage
from pingyi.core.models import AuditEntry
from pingyi.org.models import MemberStatus, OrgType, OrgUnit, Person, PersonKind, Post


def test_demo_is_the_branch_of_the_domain_and_marked_as_demo(db, capsys) -> None:
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert settings.DEMO_PASSWORD in out and "secretary" in out

    members = Person.objects.filter(kind=PersonKind.MEMBER, org__code="DEMO-BRANCH")
    assert members.count() == 29
    assert members.filter(status=MemberStatus.RETIRED).count() == 3
    assert members.filter(status__in=[MemberStatus.AWAY, MemberStatus.LEFT_POST]).count() == 3
    assert members.filter(status=MemberStatus.LEFT_POST).count() == 2
    assert Person.objects.filter(kind=PersonKind.STAFF).exists()
    assert Person.objects.filter(kind=PersonKind.CONTACT, contact_type="village").count() >= 1
    assert OrgUnit.objects.filter(type=OrgType.LIAISON_POINT).count() == 3
    assert OrgUnit.objects.filter(type=OrgType.VILLAGE, name__startswith="东垅村").exists()
    assert OrgUnit.objects.filter(type=OrgType.SUPERVISION_GROUP).exists()
    double_posts = [p for p in members if Post.objects.filter(person=p).values("org").distinct().count() >= 2]
    assert len(double_posts) >= 2, "leaders hold a bureau post and a branch committee post"
    assert Post.objects.filter(person__in=members, is_committee=True).count() >= 5

    assert all(node.is_demo and "【演示】" in node.name for node in OrgUnit.objects.all())
    assert not Person.objects.filter(is_demo=False).exists()
    campaign = Campaign.objects.get(org__code="DEMO-BRANCH")
    assert campaign.is_demo and "【演示】" in campaign.title
    assert campaign.stages.get(status=Stage.Status.OPEN).order == 2


def test_demo_is_idempotent(db) -> None:
    call_command("seed_demo")
    counts = (Person.objects.count(), OrgUnit.objects.count(), Campaign.objects.count(), AuditEntry.objects.count())
    call_command("seed_demo")
    assert (
        Person.objects.count(),
        OrgUnit.objects.count(),
        Campaign.objects.count(),
        AuditEntry.objects.count(),
    ) == counts


def test_printed_logins_work(db) -> None:
    call_command("seed_demo")
    for username in ["secretary", "committee", "office", "supervisor", "member", "admin"]:
        client = Client()
        assert client.login(username=username, password=settings.DEMO_PASSWORD), username
        assert client.get("/").status_code == 200
