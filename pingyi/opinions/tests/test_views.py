"""The office's pages: happy paths, wrong methods, and bad input that loses nothing."""

import io
from typing import Any

import pytest
from django.urls import reverse
from docx import Document as read_docx

from conftest import World
from pingyi.campaigns.models import Campaign
from pingyi.opinions import services
from pingyi.opinions.models import Category, Channel, Opinion, OpinionRound, OpinionStatus, Symposium, Visit
from pingyi.rectification.models import RectificationItem

pytestmark = pytest.mark.django_db


def test_the_office_opens_a_round_from_the_campaign(world: World, campaign: Campaign) -> None:
    client = world.client("office")
    data = {"title": "征求意见", "audiences": ["employer", "public"], "topics": ["campaign"], "accepts_public": "on"}
    response = client.post(reverse("opinions:round_create", kwargs={"campaign_id": campaign.pk}), data)
    round_ = OpinionRound.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/opinions/rounds/{round_.pk}/"
    assert round_.org == campaign.org and round_.campaign == campaign and round_.audiences == ["employer", "public"]
    page = client.get(response["Location"]).content.decode()
    assert f"/opinions/p/{round_.public_key}/" in page and "<svg" in page


def test_a_round_without_a_title_is_refused_with_the_rest_kept(world: World, campaign: Campaign) -> None:
    response = world.client("office").post(
        reverse("opinions:round_create", kwargs={"campaign_id": campaign.pk}), {"title": "", "intro": "请提意见"}
    )
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode() and "请提意见" in response.content.decode()
    assert not OpinionRound.objects.exists()


def test_the_campaign_page_shows_counts_to_the_supervisor_but_no_texts(world: World, campaign: Campaign) -> None:
    round_ = services.create_round(org=campaign.org, campaign=campaign, title="征求意见", by=None)
    services.record_opinion(round=round_, channel=Channel.PAPER, text="绝密的意见内容", by=None)
    services.record_opinion(round=round_, channel=Channel.ONLINE, text="另一条", by=None)
    response = world.client("supervisor").get(reverse("opinions:campaign", kwargs={"campaign_id": campaign.pk}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "绝密的意见内容" not in page
    assert "纸质征求表 <strong>1</strong>" in page and "网上表单 <strong>1</strong>" in page
    assert 'data-testid="stats-total">2<' in page


def test_staff_type_in_a_letter_reply_for_an_invitee(world: World, round_: OpinionRound) -> None:
    services.add_invitees(round=round_, entries=[services.InviteeEntry(name="区人事局", group="agency")], by=None)
    invitee = round_.invitees.get()
    data = {"channel": Channel.LETTER, "text": "希望加强信息共享", "invitee": invitee.pk}
    response = world.client("office").post(
        reverse("opinions:opinion_add", kwargs={"opinion_round_id": round_.pk}), data
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.source_name, opinion.source_group, opinion.invitee) == ("区人事局", "agency", invitee)
    assert opinion.recorded_by == world.users["office"]


def test_the_opinion_page_suggests_a_category_and_saves_it(world: World, round_: OpinionRound) -> None:
    opinion = services.record_opinion(round=round_, channel=Channel.PAPER, text="审批手续太多，要跑好几趟", by=None)
    client = world.client("office")
    url = reverse("opinions:opinion", kwargs={"opinion_id": opinion.pk})
    page = client.get(url).content.decode()
    suggested = Category.objects.get(name="办事程序和效率")
    assert "按关键词建议：办事程序和效率" in page
    assert f'<option value="{suggested.pk}" selected>' in page
    response = client.post(
        reverse("opinions:opinion_categorise", kwargs={"opinion_id": opinion.pk}),
        {"category": suggested.pk, "topic": "procedure", "concerns_person": world.people["member"].pk},
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.category == suggested and opinion.concerns_person == world.people["member"]


def test_an_empty_answer_is_refused_in_chinese(world: World, round_: OpinionRound) -> None:
    opinion = services.record_opinion(round=round_, channel=Channel.PAPER, text="意见", by=None)
    response = world.client("office").post(
        reverse("opinions:opinion_answer", kwargs={"opinion_id": opinion.pk}), {"answer": ""}
    )
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.NEW


def test_an_answer_whose_author_is_gone_still_shows(world: World, round_: OpinionRound) -> None:
    """`answered_by` empties when the login is deleted (or was never imported): the page names nobody."""
    opinion = services.record_opinion(round=round_, channel=Channel.PAPER, text="意见", by=None)
    services.answer_opinion(opinion=opinion, answer="已改进", by=world.users["office"])
    url = reverse("opinions:opinion", kwargs={"opinion_id": opinion.pk})
    assert "office 于" in world.client("office").get(url).content.decode()
    Opinion.objects.filter(pk=opinion.pk).update(answered_by=None)
    response = world.client("office").get(url)
    assert response.status_code == 200
    assert "答复人不详" in response.content.decode() and "已改进" in response.content.decode()


def test_merge_and_rectify_through_the_page(world: World, round_: OpinionRound) -> None:
    primary = services.record_opinion(round=round_, channel=Channel.PAPER, text="窗口中午不办事", by=None)
    dup = services.record_opinion(round=round_, channel=Channel.ONLINE, text="窗口中午不办事！", by=None)
    client = world.client("secretary")
    assert f"#{dup.pk}" in client.get(reverse("opinions:opinion", kwargs={"opinion_id": primary.pk})).content.decode()
    client.post(reverse("opinions:opinion_merge", kwargs={"opinion_id": primary.pk}), {"duplicates": [dup.pk]})
    dup.refresh_from_db()
    assert dup.merged_into == primary
    rectify = reverse("opinions:opinion_rectify", kwargs={"opinion_id": primary.pk})
    client.post(rectify)
    client.post(rectify)  # a double click
    assert RectificationItem.objects.count() == 1
    primary.refresh_from_db()
    assert primary.rectification_item is not None
    page = client.get(reverse("opinions:opinion", kwargs={"opinion_id": primary.pk})).content.decode()
    assert "已转为整改事项" in page


def test_symposium_and_visit_pages_record_opinions(world: World, round_: OpinionRound) -> None:
    client = world.client("secretary")
    data = {
        "title": "服务对象座谈会",
        "held_on": "2005-03-02",
        "hosts": [world.people["member"].pk],
        "opinions": "一\n二",
    }
    response = client.post(reverse("opinions:symposium_add", kwargs={"opinion_round_id": round_.pk}), data)
    symposium = Symposium.objects.get()
    assert response.status_code == 302 and symposium.opinions.count() == 2
    page = client.get(reverse("opinions:symposium", kwargs={"symposium_id": symposium.pk})).content.decode()
    assert "会上提出的意见" in page
    visit = {"visited": "东垅村", "visited_on": "2005-03-05", "source_group": "public", "opinions": "三"}
    client.post(reverse("opinions:visit_add", kwargs={"opinion_round_id": round_.pk}), visit)
    assert Visit.objects.get().opinions.count() == 1
    assert round_.opinions.count() == 3


def test_invitees_page_adds_from_lines(world: World, round_: OpinionRound) -> None:
    client = world.client("office")
    url = reverse("opinions:invitees", kwargs={"opinion_round_id": round_.pk})
    client.post(url, {"lines": "城关鞋业有限公司 许经理\n区人事局", "group": "employer"})
    assert list(round_.invitees.values_list("name", flat=True)) == ["城关鞋业有限公司", "区人事局"]
    response = client.post(url, {"lines": "", "group": "employer"})
    assert "请选择联系人或填写单位名称" in response.content.decode()


def test_an_invitee_who_gave_opinions_is_not_removed(world: World, round_: OpinionRound) -> None:
    services.add_invitees(round=round_, entries=[services.InviteeEntry(name="区人事局")], by=None)
    invitee = round_.invitees.get()
    services.record_opinion(round=round_, channel=Channel.LETTER, text="意见", invitee=invitee, by=None)
    world.client("office").post(reverse("opinions:invitee_remove", kwargs={"invitee_id": invitee.pk}))
    assert round_.invitees.exists()


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_qr_poster_downloads(world: World, round_: OpinionRound, fmt: str) -> None:
    url = reverse("opinions:round_poster", kwargs={"opinion_round_id": round_.pk}) + (
        "?format=pdf" if fmt == "pdf" else ""
    )
    response = world.client("office").get(url)
    assert response.status_code == 200
    if fmt == "pdf":
        assert response.content.startswith(b"%PDF")
    else:
        doc = read_docx(io.BytesIO(response.content))
        assert round_.title in "\n".join(p.text for p in doc.paragraphs)
        assert doc.inline_shapes  # the QR code


def test_a_round_code_is_shown_once(world: World, round_: OpinionRound) -> None:
    response = world.client("office").post(reverse("opinions:round_code", kwargs={"opinion_round_id": round_.pk}))
    assert "离开本页后无法再次显示" in response.content.decode()
    assert round_.codes.filter(revoked=False).count() == 1


@pytest.mark.parametrize(
    ("name", "method"),
    [("opinions:opinion_answer", "get"), ("opinions:opinion_rectify", "get"), ("opinions:round_code", "get")],
)
def test_wrong_method(world: World, round_: OpinionRound, name: str, method: str) -> None:
    opinion = services.record_opinion(round=round_, channel=Channel.PAPER, text="意见", by=None)
    kwargs = {"opinion_round_id": round_.pk} if name == "opinions:round_code" else {"opinion_id": opinion.pk}
    assert getattr(world.client("office"), method)(reverse(name, kwargs=kwargs)).status_code == 405


def test_the_round_page_does_not_query_per_opinion(
    world: World, round_: OpinionRound, django_assert_max_num_queries: Any
) -> None:
    category = Category.objects.first()
    for i in range(30):
        item = services.record_opinion(round=round_, channel=Channel.PAPER, text=f"意见{i}", by=None)
        services.categorise_opinion(opinion=item, category=category, concerns_person=world.people["member"], by=None)
    client = world.client("office")
    url = reverse("opinions:round", kwargs={"opinion_round_id": round_.pk})
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_the_office_home_shows_opinions_waiting(world: World, round_: OpinionRound) -> None:
    services.record_opinion(round=round_, channel=Channel.PAPER, text="意见", by=None)
    page = world.client("office").get("/").content.decode()
    assert "1条意见待处理：" + round_.title in page
    assert "条意见待处理" not in world.client("member").get("/").content.decode()
    assert "条意见待处理" not in world.client("outsider").get("/").content.decode()


def test_sending_a_create_form_twice_saves_once(world: World, round_: OpinionRound) -> None:
    client = world.client("office")
    url = reverse("opinions:opinion_add", kwargs={"opinion_round_id": round_.pk})
    page = client.get(url).content.decode()
    key = page.split('name="once" value="')[1][:32]
    data = {"channel": Channel.PAPER, "text": "一份纸质意见表", "once": key}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Opinion.objects.count() == 1
    assert "这份表单已经提交过了" in client.get(second["Location"]).content.decode()
    symposium = {"title": "座谈会", "held_on": "2005-03-02", "once": "c" * 32}
    add = reverse("opinions:symposium_add", kwargs={"opinion_round_id": round_.pk})
    assert client.post(add, symposium)["Location"] == client.post(add, symposium)["Location"]
    assert Symposium.objects.count() == 1


def test_a_form_with_mistakes_can_be_corrected_and_sent_with_its_key(world: World, round_: OpinionRound) -> None:
    client = world.client("office")
    url = reverse("opinions:opinion_add", kwargs={"opinion_round_id": round_.pk})
    key = "d" * 32
    assert client.post(url, {"channel": Channel.PAPER, "text": "", "once": key}).status_code == 200
    client.post(url, {"channel": Channel.PAPER, "text": "改好了", "once": key})
    assert Opinion.objects.get().text == "改好了"


def test_a_crash_gives_the_key_back(world: World, round_: OpinionRound, monkeypatch: pytest.MonkeyPatch) -> None:
    client = world.client("office")
    client.raise_request_exception = True
    url = reverse("opinions:opinion_add", kwargs={"opinion_round_id": round_.pk})
    data = {"channel": Channel.PAPER, "text": "意见", "once": "e" * 32}
    real = services.record_opinion

    def crash(**kwargs: Any) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "record_opinion", crash)
    with pytest.raises(RuntimeError):
        client.post(url, data)
    monkeypatch.setattr(services, "record_opinion", real)
    client.post(url, data)
    assert Opinion.objects.count() == 1


def test_a_second_click_on_generate_letters_joins_the_run_under_way(world: World, round_: OpinionRound) -> None:
    services.add_invitees(round=round_, entries=[services.InviteeEntry(name="区人事局")], by=None)
    first = services.start_letter_run(round=round_, by=None, base_url="http://x/")
    second = services.start_letter_run(round=round_, by=None, base_url="http://x/")
    assert first == second


def test_the_tally_exports_to_excel_with_formulas_kept_as_text(world: World, round_: OpinionRound) -> None:
    from openpyxl import load_workbook

    services.submit_public_opinion(round=round_, text='=HYPERLINK("http://evil.example","点我")', address="1.1.1.1")
    first = services.record_opinion(round=round_, channel=Channel.PAPER, text="窗口中午不办事", by=None)
    dup = services.record_opinion(round=round_, channel=Channel.PAPER, text="窗口中午不办事！", by=None)
    services.merge_opinions(primary=first, duplicates=[dup], by=None)
    response = world.client("office").get(reverse("opinions:round_export", kwargs={"opinion_round_id": round_.pk}))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == f"{round_.title}意见汇总表" and rows[1][7] == "意见内容"
    texts = [r[7] for r in rows[2:-1]]
    assert texts[0].startswith("=HYPERLINK")
    assert sheet.cell(3, 8).data_type == "s" and sheet.cell(3, 8).quotePrefix  # text, not a formula, nor on edit
    assert sheet.cell(3, 2).is_date  # the time is a date
    assert sheet.print_title_rows == "$1:$2" and sheet.page_setup.fitToWidth == 1
    assert rows[4][9] == f"并入 #{first.pk}"
    assert rows[-1][0] == "合计" and rows[-1][1].startswith("2条意见")
