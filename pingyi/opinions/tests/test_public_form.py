"""The public form: no login, hardened against floods, oversize input, robots and markup."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from pingyi.core.models import AuditEntry
from pingyi.opinions import services
from pingyi.opinions.models import AccessCode, Channel, Invitee, Opinion, OpinionRound

from .conftest import make_round

pytestmark = pytest.mark.django_db


def url(round_: OpinionRound, **query: str) -> str:
    path = reverse("opinions:public", kwargs={"opinion_round_key": round_.public_key})
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post(client: Client, round_: OpinionRound, addr: str = "10.0.0.1", **data: Any) -> Any:
    return client.post(url(round_), data, REMOTE_ADDR=addr)


def test_anyone_opens_the_form_without_logging_in(round_: OpinionRound) -> None:
    response = Client().get(url(round_))
    assert response.status_code == 200
    page = response.content.decode()
    assert round_.title in page and "无需注册" in page
    assert 'name="submission_key"' in page


def test_an_unknown_link_is_not_found(world: World) -> None:
    assert Client().get(reverse("opinions:public", kwargs={"opinion_round_key": "nope"})).status_code == 404


def test_an_opinion_is_stored_anonymously_and_shown_back(round_: OpinionRound) -> None:
    response = post(Client(), round_, text="  社保窗口中午不办事，群众要跑两趟  ", topic="bureau_work")
    assert response.status_code == 200
    assert "您的意见已收到" in response.content.decode()
    opinion = Opinion.objects.get()
    assert opinion.channel == Channel.ONLINE
    assert opinion.text == "社保窗口中午不办事，群众要跑两趟"
    assert opinion.topic == "bureau_work"
    assert opinion.contact_name == opinion.contact_phone == opinion.source_name == ""
    assert AuditEntry.objects.filter(action="opinions.submitted").count() == 1


def test_markup_is_stored_as_written_and_shown_inert(world: World, round_: OpinionRound) -> None:
    markup = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = post(Client(), round_, text=markup)
    page = response.content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    opinion = Opinion.objects.get()
    assert opinion.text == markup  # kept exactly; escaping happens where it is shown
    office_page = world.client("office").get(reverse("opinions:opinion", kwargs={"opinion_id": opinion.pk}))
    assert "<script>alert" not in office_page.content.decode()
    assert "&lt;script&gt;" in office_page.content.decode()
    round_page = world.client("office").get(reverse("opinions:round", kwargs={"opinion_round_id": round_.pk}))
    assert "<script>alert" not in round_page.content.decode()


def test_too_long_an_opinion_is_refused_with_the_text_kept(round_: OpinionRound, settings: Any) -> None:
    settings.OPINIONS_MAX_CHARS = 50
    text = "意" * 51
    response = post(Client(), round_, text=text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "意见内容不能超过50字（现在是51字）" in page
    assert text in page  # nothing the sender typed is lost
    assert not Opinion.objects.exists()


def test_an_oversize_request_is_refused_before_it_is_read(round_: OpinionRound, settings: Any) -> None:
    settings.OPINIONS_MAX_BODY_BYTES = 1000
    response = post(Client(), round_, text="长" * 2000)
    assert response.status_code == 413
    assert "提交的内容太大，没有接收" in response.content.decode()
    assert not Opinion.objects.exists()


def test_too_many_from_one_address_are_refused_with_a_clear_message(round_: OpinionRound, settings: Any) -> None:
    settings.OPINIONS_RATE_PER_ADDRESS = (3, 600)
    client = Client()
    for i in range(3):
        assert post(client, round_, text=f"第{i}条意见").status_code == 200
    response = post(client, round_, text="第四条意见，不应被接收")
    assert response.status_code == 429
    page = response.content.decode()
    assert "同一网络地址每10分钟最多提交3条意见" in page
    assert "第四条意见，不应被接收" in page and "没有丢失" in page
    assert Opinion.objects.count() == 3
    # Another address is not affected.
    assert post(client, round_, addr="10.0.0.2", text="另一个地址").status_code == 200
    assert Opinion.objects.count() == 4


def test_the_address_comes_from_the_trusted_proxy_header(round_: OpinionRound, settings: Any) -> None:
    settings.OPINIONS_RATE_PER_ADDRESS = (1, 600)
    settings.OPINIONS_PROXY_COUNT = 1
    client = Client()

    def send(forwarded: str) -> int:
        data = {"text": "意见"}
        return client.post(url(round_), data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert send("1.1.1.1") == 200
    assert send("2.2.2.2") == 200
    # A client cannot dodge the limit by prepending its own header value: the proxy appends the real one.
    assert send("9.9.9.9, 1.1.1.1") == 429


def test_a_shared_code_has_its_own_limit(world: World, settings: Any) -> None:
    settings.OPINIONS_RATE_PER_CODE = (2, 3600)
    round_ = make_round(world, requires_code=True)
    code = services.issue_round_code(round=round_, by=world.users["secretary"])
    client = Client()
    for i in range(2):
        assert post(client, round_, addr=f"10.0.1.{i}", text="意见", code=code).status_code == 200
    response = post(client, round_, addr="10.0.1.9", text="意见", code=code)
    assert response.status_code == 429
    assert "这个邀请码提交次数已达上限" in response.content.decode()
    assert Opinion.objects.count() == 2


def test_a_round_for_invited_units_needs_a_code(world: World) -> None:
    round_ = make_round(world, requires_code=True)
    response = post(Client(), round_, text="意见")
    assert response.status_code == 400
    assert Opinion.objects.count() == 0
    response = post(Client(), round_, text="意见", code="AAAA-BBBB")
    assert "邀请码不正确" in response.content.decode()
    assert Opinion.objects.count() == 0


def test_a_one_time_code_works_once_and_names_the_unit(world: World) -> None:
    round_ = make_round(world, requires_code=True)
    services.add_invitees(round=round_, entries=[services.InviteeEntry(name="城关鞋业有限公司")], by=None)
    code = services.issue_invitee_code(invitee=Invitee.objects.get())
    assert code not in str(list(AccessCode.objects.values()))  # only the hash is stored
    assert "?code=" in url(round_, code=code)
    form = Client().get(url(round_, code=code)).content.decode()
    assert code in form  # the letter's QR link fills the code in
    assert post(Client(), round_, text="希望简化用工备案手续", code=code.lower()).status_code == 200
    opinion = Opinion.objects.get()
    assert opinion.source_name == "城关鞋业有限公司" and opinion.invitee is not None
    response = post(Client(), round_, addr="10.0.0.7", text="再提一条", code=code)
    assert response.status_code == 400
    assert "这个邀请码已经用过了" in response.content.decode()
    assert Opinion.objects.count() == 1


def test_the_honeypot_turns_robots_away_with_a_message(round_: OpinionRound) -> None:
    response = post(Client(), round_, text="买便宜发票", website="http://spam.example")
    assert response.status_code == 400
    assert "系统把这次提交当作自动程序" in response.content.decode()
    assert not Opinion.objects.exists()


def test_sending_the_same_form_twice_stores_one_opinion(round_: OpinionRound, settings: Any) -> None:
    settings.OPINIONS_RATE_PER_ADDRESS = (1, 600)
    key = "0123456789abcdef0123456789abcdef"
    first = post(Client(), round_, text="一条意见", submission_key=key)
    second = post(Client(), round_, text="一条意见", submission_key=key)
    assert first.status_code == second.status_code == 200  # the repeat is not counted against the limit
    assert Opinion.objects.count() == 1
    assert f"编号 {Opinion.objects.get().pk}" in second.content.decode()


def test_contact_details_are_kept_only_when_the_sender_chooses(round_: OpinionRound) -> None:
    post(Client(), round_, text="第一条", contact_name="李先生", contact_phone="13900001111")
    post(Client(), round_, text="第二条", give_contact="on", contact_name="王女士", contact_phone="139 0000 2222")
    kept = dict(Opinion.objects.values_list("text", "contact_phone"))
    assert kept == {"第一条": "", "第二条": "13900002222"}


def test_a_bad_phone_number_is_refused_with_the_text_kept(round_: OpinionRound) -> None:
    response = post(Client(), round_, text="我的意见", give_contact="on", contact_phone="12345")
    assert response.status_code == 400
    page = response.content.decode()
    assert "电话号码格式不对" in page and "我的意见" in page


def test_a_closed_round_takes_no_more_opinions(round_: OpinionRound) -> None:
    services.update_round(round=round_, by=None, accepts_public=False)
    assert "本轮征求意见已经结束" in Client().get(url(round_)).content.decode()
    response = post(Client(), round_, text="迟到的意见")
    assert response.status_code == 400
    assert not Opinion.objects.exists()


def test_a_crash_while_storing_leaves_nothing_and_frees_the_place(
    round_: OpinionRound, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.OPINIONS_RATE_PER_ADDRESS = (1, 600)

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.public_form.audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.submit_public_opinion(round=round_, text="意见", address="10.0.0.1")
    assert not Opinion.objects.exists()
    monkeypatch.undo()
    # The failed attempt did not use up the address's only place.
    services.submit_public_opinion(round=round_, text="意见", address="10.0.0.1")
    assert Opinion.objects.count() == 1


def test_control_characters_are_dropped(round_: OpinionRound) -> None:
    post(Client(), round_, text="意\x1b见\x07")
    assert Opinion.objects.get().text == "意见"
    # NUL, which PostgreSQL cannot store, never reaches the database either.
    services.submit_public_opinion(round=round_, text="第二\x00条", address="10.0.0.2")
    assert Opinion.objects.filter(text="第二条").exists()
