"""The evaluation pages: what each role sees and can do, wrong states and methods, and what is never shown."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import add_members, open_campaign
from pingyi.campaigns.progress import Report
from pingyi.evaluation import services
from pingyi.evaluation.models import EvaluationRound, Notice, Participation, PublicCode, RoundMember

from .factories import close, counts_of, everyone_gives, member_of, new_round, votes

pytestmark = pytest.mark.django_db


@pytest.fixture
def raters(world: Any) -> list[Any]:
    return add_members(world, 6)


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_secretary_sets_up_a_round_and_members_see_the_rules_before_it_opens(world: Any, raters: list[Any]) -> None:
    c = open_campaign(world, "democratic-evaluation")
    url = reverse("evaluation:round_create", kwargs={"campaign_id": c.pk})
    data = {
        "title": "2025年度民主评议", "org": world.orgs["branch"].pk, "grades": "优秀、合格、基本合格、不合格",
        "dimensions": "理想信念、服务群众", "weight_self": 20, "weight_members": 50, "weight_public": 30,
        "allow_public": "on", "top_cap_num": 1, "top_cap_den": 3, "min_raters": 5, "participation_target": 95,
        "review_thresholds": "不合格 25",
    }  # fmt: skip
    bad = world.client("secretary").post(url, {**data, "weight_public": 40})
    assert bad.status_code == 200 and "100%" in bad.content.decode()
    assert not EvaluationRound.objects.exists()
    response = world.client("secretary").post(url, data)
    round = EvaluationRound.objects.get()
    assert response.status_code == 302 and round.dimensions == ["理想信念", "服务群众"]
    again = world.client("secretary").post(url, data)  # a double submit makes nothing new
    assert again.status_code == 302 and EvaluationRound.objects.count() == 1
    page = world.client("member").get(reverse("evaluation:round", kwargs={"round_id": round.pk})).content.decode()
    assert "个人讲评 20%，党员互评 50%，群众参评 30%" in page and "不合格”综合占比达到 25%" in page


def test_a_member_rates_everyone_on_one_page_and_cannot_vote_again(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    url = reverse("evaluation:rate", kwargs={"round_id": round.pk})
    client = world.client("member")
    page = client.get(url).content.decode()
    assert all(p.name in page for p in raters) and page.count('class="card mb-2 ballot-row') == 6
    me = member_of(round, world.people["member"])
    others = round.members.filter(graded=True).exclude(pk=me.pk)
    partial = {f"g-{m.pk}": "1" for m in others[:4]}
    refused = client.post(url, partial)
    body = refused.content.decode()
    assert refused.status_code == 400 and "还有 2 名党员没有选择等次" in body
    assert body.count("checked") == 4  # what was chosen is still there
    assert not Participation.objects.exists()
    done = client.post(url, {f"g-{m.pk}": "1" for m in others})
    assert done.status_code == 302
    assert votes() == 6
    after = client.get(url).content.decode()
    assert "您已经参加过本次测评" in after and 'type="radio"' not in after
    client.post(url, {f"g-{m.pk}": "3" for m in others})
    assert votes() == 6


def test_the_rating_page_asks_a_fixed_number_of_queries(
    world: Any, raters: list[Any], django_assert_max_num_queries: Any
) -> None:
    round = new_round(world)
    client = world.client("member")
    url = reverse("evaluation:rate", kwargs={"round_id": round.pk})
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url)


def test_participation_is_a_total_for_members_and_names_for_those_who_chase_it(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    for person in raters[:3]:
        services.cast_vote(round=round, rater=person, grades=everyone_gives(round, person, 1), by=person.user)
    url = reverse("evaluation:round", kwargs={"round_id": round.pk})
    page = world.client("secretary").get(url).content.decode()
    assert "已参评 3 / 应参评 7 人（42%）" in page
    missing = page[page.index('id="not-voted"') :].split("</p>")[0]
    assert all(p.name in missing for p in [*raters[3:], world.people["member"]])
    assert not any(p.name in missing for p in raters[:3])
    assert "支委会评定" not in page  # no results while open
    for persona in ("committee", "office", "supervisor"):  # as the campaign progress and the audit log show them
        assert 'id="not-voted"' in world.client(persona).get(url).content.decode()
    mine = world.client("member").get(url).content.decode()
    assert "已参评 3 / 应参评 7 人（42%）" in mine and 'id="not-voted"' not in mine
    assert not any(p.name in mine.split('id="members"')[0] for p in raters)
    committee = world.client("secretary").get(reverse("evaluation:committee", kwargs={"round_id": round.pk}))
    assert committee.status_code == 302


def test_the_public_rate_with_a_code_once_without_logging_in(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    (code,) = services.issue_public_codes(round=round, count=1, by=world.users["secretary"])
    url = reverse("evaluation:public_rate", kwargs={"round_key": round.public_key})
    anonymous = Client()
    assert anonymous.get(url).status_code == 200
    ballot = {f"g-{m.pk}": "0" for m in round.members.filter(graded=True)}
    wrong = anonymous.post(url, {"code": "AAAA-AAAA-AAAA", **ballot})
    assert wrong.status_code == 400 and "测评码不正确" in wrong.content.decode()
    assert anonymous.post(url, {"code": code, **ballot}).status_code == 200
    assert PublicCode.objects.get().used
    reused = anonymous.post(url, {"code": code, **ballot})
    assert reused.status_code == 400 and "已经使用过" in reused.content.decode()
    assert votes(source="public") == 7


def test_printing_codes_gives_a_pdf_and_keeps_only_hashes(world: Any, raters: list[Any]) -> None:
    round = new_round(world, opened=False)
    response = world.client("secretary").post(reverse("evaluation:codes", kwargs={"round_id": round.pk}), {"count": 4})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and response["Cache-Control"] == "no-store"
    assert PublicCode.objects.filter(round=round).count() == 4


def test_exclusions_are_approved_only_by_the_level_above(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    member = member_of(round, world.people["member"])
    request_url = reverse("evaluation:exclusion_request", kwargs={"round_id": round.pk})
    world.client("secretary").post(request_url, {"member": member.pk, "reason": "出国半年以上"})
    exclusion = round.exclusions.get()
    decide_url = reverse("evaluation:exclusion_decide", kwargs={"exclusion_id": exclusion.pk})
    assert world.client("secretary").post(decide_url, {"approve": "1"}).status_code == 403
    assert world.client("office").post(decide_url, {"approve": "1"}).status_code == 302
    exclusion.refresh_from_db()
    assert exclusion.status == "approved" and exclusion.decided_by == world.users["office"]


def test_paper_ballots_are_entered_twice_by_two_people(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    voters = [member_of(round, p) for p in raters[:5]]
    world.client("secretary").post(
        reverse("evaluation:paper_voted", kwargs={"round_id": round.pk}), {"members": [v.pk for v in voters]}
    )
    assert Participation.objects.filter(on_paper=True).count() == 5
    world.client("secretary").post(
        reverse("evaluation:batch_create", kwargs={"round_id": round.pk}), {"source": "members", "ballots": 5}
    )
    batch = round.paper_batches.get()
    url = reverse("evaluation:batch_entry", kwargs={"batch_id": batch.pk})
    target = member_of(round, world.people["member"]).pk
    world.client("secretary").post(url, {f"c-{target}:0:1": "5"})
    mismatch = world.client("committee").post(url, {f"c-{target}:0:1": "4", f"c-{target}:0:2": "1"})
    assert mismatch.status_code == 400 and "2 处不一致" in mismatch.content.decode()
    assert world.client("committee").post(url, {f"c-{target}:0:1": "5"}).status_code == 302
    batch.refresh_from_db()
    assert batch.status == "counted"
    assert counts_of(subject_id=target, source="members", dimension=0)[:4] == [0, 5, 0, 0]


def _closed_with_votes(world: Any, raters: list[Any]) -> EvaluationRound:
    round = new_round(world)
    for person in raters:
        services.cast_vote(round=round, rater=person, grades=everyone_gives(round, person, 1), by=person.user)
    close(round, world.users["secretary"])
    round.refresh_from_db()
    return round


def test_the_committee_sees_tallies_only_where_enough_raters_rated(world: Any, raters: list[Any]) -> None:
    round = _closed_with_votes(world, raters)
    page = world.client("committee").get(reverse("evaluation:committee", kwargs={"round_id": round.pk}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "6 人：优秀 0，合格 6" in body  # the world's member: six raters
    assert "5 人：优秀 0，合格 5" in body  # each rater: rated by the five others (minimum 5)
    assert world.client("office").get(reverse("evaluation:committee", kwargs={"round_id": round.pk})).status_code == 403


def test_the_committee_sets_an_opinion_and_a_change_needs_a_reason(world: Any, raters: list[Any]) -> None:
    round = _closed_with_votes(world, raters)
    member = member_of(round, world.people["member"])
    url = reverse("evaluation:decide", kwargs={"round_member_id": member.pk})
    page = world.client("committee").get(url).content.decode()
    assert "未提交个人讲评" in page and "本次活动中的表现" in page
    data = {
        "grade": "1",
        "opinion": "学习认真，作用发挥较好",
        "reason": "测评和一贯表现一致",
        "record_notes": "按时交纳党费",
    }
    assert world.client("committee").post(url, data).status_code == 302
    changed = world.client("committee").post(url, {**data, "grade": "2"})
    assert changed.status_code == 200 and "变更理由" in changed.content.decode()
    world.client("committee").post(url, {**data, "grade": "2", "change_reason": "支委会复议"})
    member.decision.refresh_from_db()
    assert member.decision.grade == 2 and member.decision.changes.get().reason == "支委会复议"


def test_notices_are_visible_only_at_their_scope(world: Any, raters: list[Any]) -> None:
    round = _closed_with_votes(world, raters)
    for member in round.members.all():
        services.decide(member=member, grade=1, opinion="合格", reason="一贯", by=world.users["secretary"])
    response = world.client("secretary").post(
        reverse("evaluation:notice_create", kwargs={"round_id": round.pk}), {"scope": "bureau", "title": ""}
    )
    notice = Notice.objects.get()
    assert response.status_code == 302 and notice.audit_hash == round.close_hash
    url = reverse("evaluation:notice", kwargs={"notice_id": notice.pk})
    body = world.client("member").get(url).content.decode()
    assert "实际参评 6 名" in body and round.close_hash in body
    assert world.client("outsider").get(url).status_code == 404
    assert Client().get(url).status_code == 302
    public = services.publish_notice(round=round, scope="public", title="", remarks="", by=world.users["secretary"])
    assert Client().get(reverse("evaluation:notice", kwargs={"notice_id": public.pk})).status_code == 200
    docx = Client().get(reverse("evaluation:notice_docx", kwargs={"notice_id": public.pk}))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")


def test_wrong_methods_are_refused(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    for name in ("round_open", "round_close", "codes", "paper_voted", "batch_create"):
        url = reverse(f"evaluation:{name}", kwargs={"round_id": round.pk})
        assert world.client("secretary").get(url).status_code == 405
    notice_url = reverse("evaluation:notice", kwargs={"notice_id": 1})
    assert world.client("secretary").post(notice_url).status_code == 405


def test_home_card_until_the_member_has_voted(world: Any, raters: list[Any]) -> None:
    round = new_round(world)
    home = world.client("member").get(reverse("portal:home")).content.decode()
    assert "民主测评等待您投票" in home
    person = world.people["member"]
    services.cast_vote(round=round, rater=person, grades=everyone_gives(round, person, 1), by=person.user)
    assert "民主测评等待您投票" not in world.client("member").get(reverse("portal:home")).content.decode()


def test_progress_providers_follow_the_records(world: Any, raters: list[Any]) -> None:
    from pingyi.campaigns.progress import get_rule
    from pingyi.org.models import Person

    round = new_round(world)
    item = round.campaign.stages.get(code="assessment").work_items.get(rule="evaluation.participated")
    people = Person.objects.filter(pk__in=[p.pk for p in raters])
    rule = get_rule("evaluation.participated")
    assert rule is not None and Report.of(rule.func(item, people)).done == set()
    services.cast_vote(round=round, rater=raters[0], grades=everyone_gives(round, raters[0], 1), by=raters[0].user)
    assert Report.of(rule.func(item, people)).done == {raters[0].pk}
    assert RoundMember.objects.filter(round=round).count() == 7


def test_printed_slips_fit_eight_to_a_page_each_code_by_its_own_qr(world: Any, raters: list[Any]) -> None:
    from pingyi.core.tests.rendering import measure

    round = new_round(world, opened=False)
    response = world.client("secretary").post(reverse("evaluation:codes", kwargs={"round_id": round.pk}), {"count": 9})
    pages = measure(response.content)
    assert [sum(line.text.count("测评码：") for line in page) for page in pages] == [8, 1]
    assert all(line.x1 < 210 for page in pages for line in page)


def test_notices_at_different_scopes_download_under_different_names(world: Any, raters: list[Any]) -> None:
    round = _closed_with_votes(world, raters)
    for member in round.members.all():
        services.decide(member=member, grade=1, opinion="合格", reason="一贯", by=world.users["secretary"])
    names = set()
    for scope in ("branch", "bureau", "public"):
        notice = services.publish_notice(round=round, scope=scope, title="", remarks="", by=world.users["secretary"])
        for kind in ("notice_docx", "notice_pdf"):
            response = world.client("secretary").get(reverse(f"evaluation:{kind}", kwargs={"notice_id": notice.pk}))
            names.add(response["Content-Disposition"])
    assert len(names) == 6


def test_the_audit_hash_stands_on_its_own_line_unstretched(world: Any, raters: list[Any]) -> None:
    from pingyi.core.tests.rendering import measure

    round = _closed_with_votes(world, raters)
    for member in round.members.all():
        services.decide(member=member, grade=1, opinion="合格", reason="一贯", by=world.users["secretary"])
    notice = services.publish_notice(round=round, scope="branch", title="", remarks="", by=world.users["secretary"])
    response = world.client("secretary").get(reverse("evaluation:notice_pdf", kwargs={"notice_id": notice.pk}))
    (line,) = [line for page in measure(response.content) for line in page if notice.audit_hash[:16] in line.text]
    assert line.text == notice.audit_hash and line.x0 == pytest.approx(28, abs=0.5)
    gaps = [b.x0 - a.x1 for a, b in zip(line.chars, line.chars[1:], strict=False)]
    assert max(gaps) < 0.1  # set at its natural width: no justification space between the characters
