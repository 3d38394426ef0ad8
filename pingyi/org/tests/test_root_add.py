from django.urls import reverse

from conftest import World
from pingyi.org.models import OrgUnit


def test_the_administrator_adds_a_new_top_of_the_tree(world: World) -> None:
    client = world.client("admin")
    assert "添加顶级组织" in client.get(reverse("org:tree")).content.decode()
    response = client.post(reverse("org:root_add"), {"type": "province", "code": "Q", "name": "另一省"})
    root = OrgUnit.objects.get(code="Q")
    assert response.status_code == 302 and response["Location"] == reverse("org:node", kwargs={"org_code": "Q"})
    assert (root.parent, root.depth, root.path) == (None, 0, f"/{root.pk}/")


def test_a_double_submit_adds_one_root_and_a_taken_code_is_refused(world: World) -> None:
    client = world.client("admin")
    for _ in range(2):
        client.post(reverse("org:root_add"), {"type": "province", "code": "Q", "name": "另一省"})
    assert OrgUnit.objects.filter(code="Q").count() == 1
    response = client.post(reverse("org:root_add"), {"type": "province", "code": "BRANCH", "name": "别的"})
    assert "已被使用" in response.content.decode()


def test_a_secretary_neither_sees_nor_may_use_it(world: World) -> None:
    client = world.client("secretary")
    assert "添加顶级组织" not in client.get(reverse("org:tree")).content.decode()
    response = client.post(reverse("org:root_add"), {"type": "province", "code": "Q", "name": "另一省"})
    assert response.status_code == 403
    assert not OrgUnit.objects.filter(code="Q").exists()
