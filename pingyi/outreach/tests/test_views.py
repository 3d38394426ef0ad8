"""The outreach pages as their readers use them."""

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import World
from pingyi.campaigns.progress import get_rule
from pingyi.org.models import Person
from pingyi.outreach import services
from pingyi.outreach.models import Contact, GoodDeed
from pingyi.outreach.tests.test_services import photo
from pingyi.study import services as study
from pingyi.study.tests.conftest import schedule

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def plan_url(campaign: Any) -> str:
    return reverse("outreach:plan", args=[campaign.pk, 1])


def test_a_member_reads_the_plan_and_confirms_it(world: World, campaign: Any) -> None:
    services.issue_plan(
        stage=campaign.stages.get(order=1), title="第一阶段学习计划", body="每周五集中学习", readings="读本\n党章",
        readings_due_on=TODAY, by=None,
    )  # fmt: skip
    client = world.client("member")
    page = client.get(plan_url(campaign)).content.decode()
    assert "第一阶段学习计划" in page and "<li>党章</li>" in page and 'id="confirm-read"' in page
    assert 'id="plan-form"' not in page and 'id="read-status"' not in page  # a member sees neither
    plan = campaign.stages.get(order=1).study_plan
    client.post(reverse("outreach:plan_read", args=[plan.pk]))
    page = client.get(plan_url(campaign)).content.decode()
    assert "您已确认阅读" in page and 'id="confirm-read"' not in page


def test_the_secretary_sees_who_has_not_read_it(world: World, campaign: Any, away: Any) -> None:
    plan = services.issue_plan(stage=campaign.stages.get(order=1), title="计划", body="学习", by=None)
    services.confirm_plan_read(plan=plan, person=world.people["member"], by=None)
    page = world.client("secretary").get(plan_url(campaign)).content.decode()
    status = page.split('id="read-status"', 1)[1].split("</section>", 1)[0]
    assert "已阅 1/2" in status and "冯外出" in status and "王党员" not in status


def test_the_secretary_issues_the_plan_from_the_page(world: World, campaign: Any) -> None:
    response = world.client("secretary").post(plan_url(campaign), {"title": "学习计划", "body": "集中学习"})
    assert response.status_code == 302
    assert campaign.stages.get(order=1).study_plan.title == "学习计划"


def test_the_work_item_link_goes_to_the_open_stages_plan(world: World, campaign: Any) -> None:
    response = world.client("member").get(reverse("outreach:campaign_plan", args=[campaign.pk]))
    assert response["Location"] == plan_url(campaign)


def test_the_progress_rule_counts_those_who_confirmed(world: World, campaign: Any, away: Any) -> None:
    stage = campaign.stages.get(order=1)
    item = stage.work_items.first()
    people = Person.objects.filter(pk__in=[world.people["member"].pk, away.pk])
    rule = get_rule("outreach.plan_read")
    assert rule is not None
    before = rule.func(item, people)
    assert not before.done and before.left[away.pk] == "学习计划尚未下发"
    plan = services.issue_plan(stage=stage, title="计划", body="学习", by=None)
    services.confirm_plan_read(plan=plan, person=away, by=None)
    after = rule.func(item, people)
    assert after.done == {away.pk} and after.left == {world.people["member"].pk: "尚未确认已阅"}


def test_the_roster_lists_the_away_and_retired_with_their_last_contact(world: World, away: Any, retired: Any) -> None:
    services.record_contact(
        person=away, kind="phone", contacted_on=TODAY, contacted_by="书记", result="已转告学习安排", by=None
    )
    url = reverse("outreach:contacts", args=["BRANCH"])
    page = world.client("secretary").get(url).content.decode()
    assert "冯外出" in page and "已转告学习安排" in page and "刘退休" in page and "还没有联系记录" in page
    assert "王党员" not in page  # serving members are met at the branch's meetings
    assert "登记联系" not in world.client("supervisor").get(url).content.decode()


def test_a_double_submitted_contact_is_kept_once(world: World, away: Any) -> None:
    client = world.client("secretary")
    url = reverse("outreach:contact_add", args=["BRANCH"])
    data = {
        "person": away.pk, "kind": "phone", "contacted_on": TODAY.isoformat(), "contacted_by": "书记",
        "result": "已转告", "once": "a" * 32,
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Contact.objects.count() == 1


def test_a_serving_member_cannot_be_picked_for_a_contact(world: World, away: Any) -> None:
    url = reverse("outreach:contact_add", args=["BRANCH"])
    page = world.client("secretary").get(url).content.decode()
    assert "冯外出" in page and "王党员" not in page


def test_the_deed_form_has_no_photo_field_until_the_branch_turns_photos_on(world: World) -> None:
    client = world.client("secretary")
    url = reverse("outreach:deed_add", args=["BRANCH"])
    assert 'type="file"' not in client.get(url).content.decode()
    client.post(reverse("outreach:settings", args=["BRANCH"]), {"photos": "on"})
    assert 'type="file"' in client.get(url).content.decode()


def test_a_deed_photo_is_served_as_an_image_to_the_branchs_readers(world: World) -> None:
    services.set_photos(org=world.orgs["branch"], enabled=True, by=None)
    deed = services.record_good_deed(
        org=world.orgs["branch"], done_on=TODAY, what="修村道", beneficiary="村民", doers=[world.people["member"]],
        photos=[photo()], by=None,
    )  # fmt: skip
    url = reverse("outreach:deed_photo", args=[deed.photos.get().pk])
    response = world.client("supervisor").get(url)
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    assert world.client("outsider").get(url).status_code == 404


def test_a_deed_posted_with_a_photo_while_photos_are_off_is_refused(world: World) -> None:
    url = reverse("outreach:deed_add", args=["BRANCH"])
    data = {
        "done_on": TODAY.isoformat(), "what": "修村道", "beneficiary": "村民", "doers": [world.people["member"].pk],
        "photos": photo(),
    }  # fmt: skip
    world.client("secretary").post(url, data)
    deed = GoodDeed.objects.get()  # the field does not exist: the file is not read, the deed is kept
    assert not deed.photos.exists()


def test_the_home_page_asks_the_member_to_read_and_the_secretary_to_call(
    world: World, campaign: Any, away: Any
) -> None:
    services.issue_plan(stage=campaign.stages.get(order=1), title="第一阶段学习计划", body="学习", by=None)
    assert "学习计划待阅：第一阶段学习计划" in world.client("member").get("/").content.decode()
    assert "1 名外出、离退休党员三个月没有联系" in world.client("secretary").get("/").content.decode()
    services.record_contact(
        person=away, kind="phone", contacted_on=TODAY - timedelta(days=5), contacted_by="书记", result="好", by=None
    )
    assert "三个月没有联系" not in world.client("secretary").get("/").content.decode()


def test_materials_page_names_who_did_not_get_it(world: World, away: Any) -> None:
    client = world.client("committee")
    url = reverse("outreach:materials", args=["BRANCH"])
    data = {"title": "教育读本", "issued_on": TODAY.isoformat(), "not_received": [away.pk]}
    assert client.post(url, data).status_code == 302
    row = client.get(url).content.decode().split('id="materials"', 1)[1].split("</table>", 1)[0]
    assert "教育读本" in row and "1/2" in row and "冯外出" in row


def test_the_progress_page_leads_to_the_stages_plan_and_the_outreach_pages(world: World, campaign: Any) -> None:
    page = world.client("secretary").get(reverse("reports:progress", args=[campaign.pk])).content.decode()
    assert plan_url(campaign) in page and reverse("outreach:contacts", args=["BRANCH"]) in page


def test_the_lists_cost_the_same_queries_for_more_rows(
    world: World, away: Any, retired: Any, django_assert_max_num_queries: Any
) -> None:
    """Deeds with photos and doers, points with leaders, the roster with its last contacts: no query per row."""
    services.set_photos(org=world.orgs["branch"], enabled=True, by=None)
    member = world.people["member"]
    point = services.add_point(org=world.orgs["branch"], name="东垅村", kind="village", leaders=[member], by=None)
    client = world.client("secretary")
    urls = [reverse(f"outreach:{name}", args=["BRANCH"]) for name in ("deeds", "liaison", "contacts", "materials")]

    def add_rows() -> None:
        services.record_good_deed(
            org=world.orgs["branch"], done_on=TODAY, what="办事", beneficiary="村民", doers=[member, away],
            point=point, photos=[photo()], by=None,
        )  # fmt: skip
        services.record_visit(point=point, kind="visit", held_on=TODAY, people=[member, away], by=None)
        for person in (away, retired):
            services.record_contact(
                person=person, kind="phone", contacted_on=TODAY, contacted_by="书记", result="好", by=None
            )
        services.record_material(org=world.orgs["branch"], title="读本", issued_on=TODAY, not_received=[away], by=None)

    add_rows()
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(100) as captured:
            client.get(url)
        counts[url] = len(captured)
    for _n in range(3):
        add_rows()
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)


def test_the_members_received_page_lists_their_materials_plan_and_activity_files(world: World, campaign: Any) -> None:
    """Handed to everyone but the exceptions; the plan with its reading; the files of activities they were asked to."""
    by, member = world.users["secretary"], world.people["member"]
    stage = campaign.stages.get(order=1)
    plan = services.issue_plan(stage=stage, title="第一阶段学习计划", body="集中学习", readings="《党章》", by=by)
    note = "外出党员在外地，已邮寄"  # the secretary's bookkeeping, about other members: not for this page
    services.record_material(org=world.orgs["branch"], title="人人有份", issued_on=stage.starts_on, note=note, by=by)
    services.record_material(
        org=world.orgs["branch"], title="没领到", issued_on=stage.starts_on, not_received=[member], by=by
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p/>")
    asked, not_asked = schedule(world, title="全体学习"), schedule(world, title="支委会", audience="committee")
    for activity, name in [(asked, "课件.pptx"), (not_asked, "支委材料.pptx")]:
        study.add_attachments(activity=activity, files=[SimpleUploadedFile(name, out.getvalue())], by=by)
    client = world.client("member")
    page = client.get("/outreach/mine/").content.decode()
    assert "人人有份" in page and "没领到" not in page and note not in page
    assert "课件.pptx" in page and "支委材料.pptx" not in page
    assert "《党章》" in page and 'class="btn btn-primary w-100 confirm-read"' in page
    confirmed = client.post(f"/outreach/plans/{plan.pk}/read/", {"back": "received"})
    assert confirmed["Location"] == "/outreach/mine/"
    assert "您已确认阅读" in client.get("/outreach/mine/").content.decode()
    assert "没有对应的党员记录" in world.client("secretary").get("/outreach/mine/").content.decode()


def _pdf(name: str = "学习纲要.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%outline\n", content_type="application/pdf")


def test_a_material_is_recorded_with_its_electronic_copy_and_a_bad_file_saves_nothing(world: World) -> None:
    from pingyi.outreach.models import Material

    client = world.client("secretary")
    url = reverse("outreach:materials", args=["BRANCH"])
    data = {"title": "学习纲要", "issued_on": TODAY.isoformat()}
    bad = client.post(url, {**data, "copies": [_pdf(), SimpleUploadedFile("假的.docx", b"%PDF-1.4")]})
    assert "假的.docx" in bad.content.decode() and "内容与扩展名不符" in bad.content.decode()
    assert not Material.objects.exists()

    assert client.post(url, {**data, "copies": [_pdf()]}).status_code == 302
    material = Material.objects.get()
    assert [f.filename for f in material.files.all()] == ["学习纲要.pdf"]
    listed = client.get(url).content.decode()
    assert reverse("outreach:material_file", args=[material.files.get().pk]) in listed


def test_a_member_who_did_not_get_the_printed_copy_downloads_the_electronic_one(world: World) -> None:
    from conftest import add_member

    by, member = world.users["secretary"], world.people["member"]
    services.record_material(org=world.orgs["branch"], title="无电子版", issued_on=TODAY, not_received=[member], by=by)
    material = services.record_material(
        org=world.orgs["branch"], title="学习纲要", issued_on=TODAY, not_received=[member], copies=[_pdf()], by=by
    )
    client = world.client("member")
    page = client.get("/outreach/mine/").content.decode()
    assert "学习纲要" in page and "纸质版没有领到，可以下载电子版。" in page and "无电子版" not in page
    file_url = reverse("outreach:material_file", args=[material.files.get().pk])
    download = client.get(file_url)
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
    assert "attachment" in download["Content-Disposition"]

    add_member(world, "外支部党员", org="other_branch", login="stranger")
    assert world.client("stranger").get(file_url).status_code == 404
