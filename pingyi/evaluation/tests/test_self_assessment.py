"""The 个人讲评 waits in 待办 when the round opens, with guidance, and is autosaved like the writing editor; a draft
counts nowhere until it is submitted (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import add_members
from pingyi.campaigns.models import WorkItem
from pingyi.evaluation import selectors, services
from pingyi.evaluation.models import SelfAssessment
from pingyi.evaluation.progress import self_assessed
from pingyi.org.models import Person
from pingyi.portal.cards import cards_for

from .factories import close, everyone_gives, member_of, new_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(world: Any) -> Any:
    add_members(world, 5)
    return new_round(world)


def _titles(world: Any) -> list[str]:
    return [c.title for c in cards_for(world.users["member"]) if "个人讲评" in c.title]


def _autosave(world: Any, round: Any, **data: Any) -> Any:
    url = reverse("evaluation:self_assess_autosave", kwargs={"round_id": round.pk})
    return world.client("member").post(url, data)


def test_the_self_assessment_waits_on_home_from_the_day_the_round_opens(world: Any, round: Any) -> None:
    assert _titles(world) == [f"个人讲评待提交：{round.title}"]
    _autosave(world, round, text="认真学习", seq=1, client="tab")
    card = next(c for c in cards_for(world.users["member"]) if "个人讲评" in c.title)
    assert "草稿已自动保存" in card.detail
    services.save_self_assessment(round=round, person=world.people["member"], text="认真学习", grade=1, by=None)
    assert _titles(world) == []
    draft_round = new_round(world, opened=False)
    assert f"个人讲评待提交：{draft_round.title}" not in _titles(world)  # not before it opens


def test_the_editor_gives_guidance_and_autosaves_in_order(world: Any, round: Any) -> None:
    page = world.client("member").get(reverse("evaluation:self_assess", kwargs={"round_id": round.pk}))
    body = page.content.decode()
    assert "怎样写个人讲评" in body and 'hx-post="/evaluation/rounds/' in body and "evaluation/self_assess.js" in body
    assert "<script>" not in body.split("</main>")[0]  # no inline script: the CSP to come
    assert "已自动保存" in _autosave(world, round, text="第二稿", grade=2, seq=20, client="tab").content.decode()
    _autosave(world, round, text="迟到的第一稿", seq=10, client="tab")  # an older save from the same page
    draft = SelfAssessment.objects.get()
    assert (draft.text, draft.grade, draft.is_submitted) == ("第二稿", 2, False)
    _autosave(world, round, text="另一台手机", seq=5, client="phone")  # another page simply saves
    assert SelfAssessment.objects.get().text == "另一台手机"


def test_a_draft_counts_nowhere_until_submitted(world: Any, round: Any) -> None:
    me = world.people["member"]
    _autosave(world, round, text="草稿", grade=0, seq=1, client="tab")
    item = WorkItem.objects.get(stage__campaign=round.campaign, rule="evaluation.self_assessed")
    report = self_assessed(item, Person.objects.filter(pk=me.pk))
    assert me.pk not in report.done and me.pk in report.started and "草稿未提交" in report.left[me.pk]
    for person in round.members.exclude(person=me).select_related("person"):
        p = person.person
        services.cast_vote(round=round, rater=p, grades=everyone_gives(round, p, 1), by=p.user)
    closed = close(round, world.users["secretary"])
    mine = selectors.tally(closed)[member_of(closed, me).pk]
    assert mine.self_grade is None and "self" in mine.left_out  # the draft's 优秀 is not the member's word yet
    assert selectors.dossier(member_of(closed, me)).assessment is None


def test_submitting_counts_and_autosave_then_stops(world: Any, round: Any) -> None:
    client = world.client("member")
    url = reverse("evaluation:self_assess", kwargs={"round_id": round.pk})
    _autosave(world, round, text="写到一半", seq=1, client="tab")
    refused = client.post(url, {"text": "写好了"})  # graded members choose a grade
    assert refused.status_code == 200 and "这个字段是必填项" in refused.content.decode()
    assert client.post(url, {"text": "写好了", "grade": 1}).status_code == 302
    assessment = SelfAssessment.objects.get()
    assert assessment.is_submitted and (assessment.text, assessment.grade) == ("写好了", 1)
    late = _autosave(world, round, text="提交后的自动保存", seq=2, client="tab")
    assert "已经提交" in late.content.decode() and SelfAssessment.objects.get().text == "写好了"
    page = client.get(url).content.decode()
    assert 'id="submitted"' in page and 'id="autosaver"' not in page


def test_only_the_member_autosaves_their_own(world: Any, round: Any) -> None:
    url = reverse("evaluation:self_assess_autosave", kwargs={"round_id": round.pk})
    assert world.client("secretary").post(url, {"text": "x"}).status_code == 403
    assert world.client("outsider").post(url, {"text": "x"}).status_code == 404
    assert world.client("member").get(url).status_code == 405
