"""Every figure on the committee page and the notice, against a count done by hand (issue 11 items 3, 5, 11).

The round: 王党员 and six formal members 党员01–06 are graded; 党员07 is probationary (votes, is not graded).
Weights 个人讲评 10%, 党员互评 60%, 群众参评 30%; at least 5 raters; 不合格 at 10% goes to the committee.

Seven members vote (everyone but 王党员). For 王党员 they give 优秀 优秀 合格 合格 合格 基本合格 不合格;
the first five also rate 理想信念 (优秀 合格 合格 合格 合格), the first three 服务群众 (合格 ×3).
Everyone else gets 合格 from each of their six raters. Four members of the public vote: too few, withheld.
王党员 assessed themself as 合格.

By hand, for 王党员:
  党员互评 7 人: 优秀 2, 合格 3, 基本合格 1, 不合格 1; 理想信念 (5 人) 优秀 1, 合格 4; 服务群众 3 人: withheld
  combined, public left out, self 10 and members 60 over 70:
    优秀 60·2/7 / 70 = 24%, 合格 (10 + 60·3/7) / 70 = 51%, 基本合格 60·1/7 / 70 = 12%, 不合格 12%
    weights used: 个人讲评 10/70 = 14%, 党员互评 60/70 = 86%
  不合格 12% ≥ 10%: sent to the committee.
For 党员01: 党员互评 6 人 合格 6; no self-assessment and public withheld: 党员互评 100%.
Participation: 7 of 8 = 87.5%, shown as 87%, below 95%. Cap: 7 graded × 1/3 = 2.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import add_member, add_members
from pingyi.evaluation import selectors, services
from pingyi.evaluation.models import Decision

from .factories import member_of, new_round

pytestmark = pytest.mark.django_db

FOR_WANG = [0, 0, 1, 1, 1, 2, 3]
IDEALS = [0, 1, 1, 1, 1]
SERVICE = [1, 1, 1]
PUBLIC_FOR_WANG = [1, 1, 2, 3]


@pytest.fixture
def counted(world: Any) -> Any:
    voters = [*add_members(world, 6), add_member(world, "党员07", login="rater7", probationary=True)]
    round = new_round(world, dimensions=["理想信念", "服务群众"], review_thresholds={"不合格": 10})
    wang = member_of(round, world.people["member"])
    graded = list(round.members.filter(graded=True))
    for n, person in enumerate(voters):
        me = member_of(round, person)
        grades = {m.pk: (FOR_WANG[n] if m == wang else 1) for m in graded if m != me}
        dims = {}
        if n < len(IDEALS):
            dims[(wang.pk, 1)] = IDEALS[n]
        if n < len(SERVICE):
            dims[(wang.pk, 2)] = SERVICE[n]
        services.cast_vote(round=round, rater=person, grades=grades, dimension_grades=dims, by=person.user)
    for grade in PUBLIC_FOR_WANG:
        (code,) = services.issue_public_codes(round=round, count=1, by=world.users["secretary"])
        services.cast_public_vote(round=round, code=code, grades={m.pk: (grade if m == wang else 1) for m in graded})
    services.save_self_assessment(round=round, person=world.people["member"], text="认真学习", grade=1, by=None)
    services.close_round(
        round=round, by=world.users["secretary"], below_target_confirmed=True, shortfall_reason="王党员住院"
    )
    round.refresh_from_db()
    return round


def test_the_tally_matches_the_hand_count(world: Any, counted: Any) -> None:
    round = counted
    wang = member_of(round, world.people["member"])
    one = member_of(round, world.people["rater1"])
    tallies = selectors.tally(round)
    mine = tallies[wang.pk]
    members, public = mine.sources["members"], mine.sources["public"]
    assert (members.raters, members.counts) == (7, [2, 3, 1, 1])
    ideals, service = members.dimensions
    assert (ideals.name, ideals.raters, ideals.counts) == ("理想信念", 5, [1, 4, 0, 0])
    assert (service.name, service.raters, service.counts) == ("服务群众", 3, None)
    assert public.raters == 4 and public.withheld and public.counts == []
    assert [round_percent(share) for share in mine.combined] == [24, 51, 12, 12]
    assert mine.combined == pytest.approx([120 / 490, 250 / 490, 60 / 490, 60 / 490])
    assert mine.how_combined == "按个人讲评 14%、党员互评 86%折算。群众参评（权重 30%）未计入：测评人数不足 5 人。"
    assert mine.review == ["不合格"]
    theirs = tallies[one.pk]
    assert theirs.sources["members"].counts == [0, 6, 0, 0] and theirs.combined == [0, 1, 0, 0]
    assert theirs.how_combined == (
        "按党员互评 100%折算。"
        "个人讲评（权重 10%）未计入：未提交个人讲评；群众参评（权重 30%）未计入：测评人数不足 5 人。"
    )


def round_percent(share: float) -> int:
    return int(f"{share * 100:.0f}")


def test_the_committee_page_shows_the_hand_count(world: Any, counted: Any, django_assert_max_num_queries: Any) -> None:
    round = counted
    url = reverse("evaluation:committee", kwargs={"round_id": round.pk})
    client = world.client("committee")
    with django_assert_max_num_queries(15):
        page = client.get(url).content.decode()
    wang = member_of(round, world.people["member"])
    row = page[page.index(f'data-member="{wang.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "7 人：优秀 2，合格 3，基本合格 1，不合格 1" in row
    assert "理想信念（5 人）：优秀 1，合格 4，基本合格 0，不合格 0" in row
    assert "服务群众：评分人数不足 5 人，不显示" in row
    assert '群众参评</span>\n    <span class="text-muted withheld">测评人数不足 5 人，不显示' in row
    assert "加权综合：优秀 24%，合格 51%，基本合格 12%，不合格 12%" in row
    assert "按个人讲评 14%、党员互评 86%折算。群众参评（权重 30%）未计入：测评人数不足 5 人。" in row
    assert "达到提交支委会研究的条件：不合格" in row
    assert "“优秀”已评定 <strong>0</strong> 人，最多 2 人（参加评定 7 人的 1/3）" in page


def test_decisions_count_against_the_cap_and_the_notice_matches(world: Any, counted: Any) -> None:
    round = counted
    by = world.users["committee"]
    wang = member_of(round, world.people["member"])
    one, two, three = (member_of(round, world.people[f"rater{n}"]) for n in (1, 2, 3))
    services.decide(
        member=wang, grade=2, opinion="服务群众意识不强", reason="测评中基本合格以下两票，联系群众不够", by=by
    )
    for member in (one, two):
        services.decide(member=member, grade=0, opinion="带头学习", reason="表现突出", by=by)
    client = world.client("committee")
    url = reverse("evaluation:committee", kwargs={"round_id": round.pk})
    page = client.get(url).content.decode()
    assert (
        "“优秀”已评定 <strong>2</strong> 人，最多 2 人" in page
        and "已评定：优秀 2，合格 0，基本合格 1，不合格 0" in page
    )
    refused = client.post(url, {"members": [three.pk], "grade": 0, "opinion": "好", "reason": "好"})
    assert refused.status_code == 400 and "“优秀”等次最多 2 人" in refused.content.decode()
    rest = [m.pk for m in round.members.filter(decision__isnull=True)]
    assert len(rest) == 5  # 党员03–06 and the probationary 党员07
    done = client.post(
        url, {"members": rest, "grade": 1, "opinion": "能够履行党员义务", "reason": "测评与一贯表现一致"}
    )
    assert done.status_code == 302 and Decision.objects.count() == 8
    page = client.get(url).content.decode()
    assert "已评定：优秀 2，合格 4，基本合格 1，不合格 0" in page and 'id="remaining"' not in page

    secretary = world.users["secretary"]
    notice = services.publish_notice(round=round, scope="branch", title="", remarks="", by=secretary)
    assert notice.counts == {
        "members": 8, "excluded": 0, "expected": 8, "voted": 7, "percent": 87, "paper": 0, "public": 4,
        "ungraded": 1, "grades": [["优秀", 2], ["合格", 4], ["基本合格", 1], ["不合格", 0]], "paper_uncounted": 0,
        "target": 95, "meets_target": False, "shortfall_reason": "王党员住院",
    }  # fmt: skip
    shown = client.get(reverse("evaluation:notice", kwargs={"notice_id": notice.pk})).content.decode()
    assert "本次参加评议党员 8 名，经上级党组织同意不计入参评人数 0 名，应参评 8 名，实际参评 7 名" in shown
    assert "参评率 87%。群众参评收回测评票 4 张。" in shown
    assert "未达到 95% 的参评率目标，经支部确认结束测评，原因：王党员住院。" in shown
    grades = shown[shown.index('id="notice-grades"') :]
    for label, n in (("优秀", 2), ("合格", 4), ("基本合格", 1), ("不合格", 0), ("预备党员（参加评议，不评定等次）", 1)):
        assert f"<td>{label}</td><td>{n}</td>" in grades


def test_the_letter_shows_the_hand_count(world: Any, counted: Any) -> None:
    """王党员's letter: the grade, and the vote by source and dimension as counted by hand above."""
    import io

    import docx

    from pingyi.feedback import services as feedback

    round = counted
    wang = member_of(round, world.people["member"])
    services.decide(
        member=wang, grade=2, opinion="服务群众意识不强", reason="联系群众不够", by=world.users["committee"]
    )
    letter = feedback.draft_feedback(campaign=round.campaign, person=world.people["member"], by=None)
    response = world.client("secretary").get(reverse("feedback:letter", kwargs={"feedback_id": letter.pk}))
    document = docx.Document(io.BytesIO(response.content))
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert rows == [
        ["测评项目", "党员互评", "群众参评"],
        ["总体评价", "优秀 2，合格 3，基本合格 1，不合格 1（7 人）", "不足 5 人，不显示"],
        ["理想信念", "优秀 1，合格 4，基本合格 0，不合格 0（5 人）", "不足 5 人，不显示"],
        ["服务群众", "不足 5 人，不显示", "不足 5 人，不显示"],
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "经支部委员会研究，评定等次为：基本合格。" in text
