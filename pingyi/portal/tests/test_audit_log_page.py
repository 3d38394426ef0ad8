from conftest import World
from pingyi.core.models import AuditEntry
from pingyi.org import services as org_services


def test_secretary_sees_the_writes_under_the_branch_only(world: World) -> None:
    org_services.rename_org_unit(org=world.orgs["group"], name="第一党小组（新）", by=world.users["secretary"])
    org_services.rename_org_unit(org=world.orgs["other_branch"], name="别处", by=world.users["outsider"])
    html = world.client("secretary").get("/audit/BRANCH/").content.decode()
    assert "组织更名" in html and "secretary" in html
    assert "outsider" not in html


def test_supervisor_sees_the_whole_district(world: World) -> None:
    org_services.rename_org_unit(org=world.orgs["other_branch"], name="别处", by=world.users["outsider"])
    html = world.client("supervisor").get("/audit/P-C-D/").content.decode()
    assert "outsider" in html


def test_list_does_not_query_per_row(world: World, django_assert_max_num_queries) -> None:
    for i in range(20):
        org_services.rename_org_unit(org=world.orgs["group"], name=f"小组{i}", by=world.users["secretary"])
    client = world.client("secretary")
    with django_assert_max_num_queries(8):
        client.get("/audit/BRANCH/")


def test_verify_reports_an_intact_then_a_broken_chain(world: World) -> None:
    client = world.client("supervisor")
    assert "审计链完整" in client.get("/audit/P-C-D/verify/").content.decode()
    first = AuditEntry.objects.order_by("id").first()
    assert first is not None
    AuditEntry.objects.filter(pk=first.pk).update(action="org.rename")
    assert f"第 {first.pk} 条" in client.get("/audit/P-C-D/verify/").content.decode()
