"""The committee settles the plain cases at once and sees the cap as it goes (issue 11 item 11); 不合格 carries
a deadline to correct of at most a year (item 1)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import add_member, add_members
from pingyi.core.models import AuditEntry
from pingyi.evaluation import services
from pingyi.evaluation.models import Decision

from .factories import close, everyone_gives, member_of, new_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world: Any) -> Any:
    raters = [*add_members(world, 6), add_member(world, "党员07", login="rater7", probationary=True)]
    round = new_round(world, review_thresholds={"不合格": 20})
    wang = member_of(round, world.people["member"])
    for n, person in enumerate(raters):
        ballot = everyone_gives(round, person, 1)
        ballot[wang.pk] = 3 if n < 3 else 1  # 王党员: three 不合格 of seven, 43%: flagged for the committee
        services.cast_vote(round=round, rater=person, grades=ballot, by=person.user)
    return close(round, world.users["secretary"])


def _url(round: Any) -> str:
    return reverse("evaluation:committee", kwargs={"round_id": round.pk})


def test_the_plain_cases_are_ticked_and_the_flagged_one_is_not(world: Any, closed: Any) -> None:
    page = world.client("committee").get(_url(closed)).content.decode()
    wang = member_of(closed, world.people["member"])
    form = page[page.index('id="remaining"') :]
    assert "一并评定其余 8 名党员" in form
    boxes = {
        int(re.search(r'value="(\d+)"', tag).group(1)): " checked" in tag  # type: ignore[union-attr]
        for tag in re.findall(r'<input[^>]*name="members"[^>]*>', form)
    }
    assert boxes == {m.pk: m.pk != wang.pk for m in closed.members.all()}
    assert "王党员（达到提交支委会研究的条件）" in form and "党员07（预备党员，不评定等次）" in form
    grades = form[form.index('name="grade"') : form.index("</select>")]
    assert "优秀" in grades and ">合格<" in grades and "基本合格" not in grades and "不合格" not in grades


def test_settling_at_once_makes_one_decision_each_and_a_repeat_changes_nothing(world: Any, closed: Any) -> None:
    client = world.client("committee")
    wang = member_of(closed, world.people["member"])
    rest = [m.pk for m in closed.members.exclude(pk=wang.pk)]
    data = {"members": rest, "grade": 1, "opinion": "能够履行党员义务", "reason": "测评与一贯表现一致"}
    assert client.post(_url(closed), data).status_code == 302
    decisions = Decision.objects.select_related("member")
    assert decisions.count() == 7 and not decisions.filter(member=wang).exists()
    assert {d.grade for d in decisions if d.member.graded} == {1}
    assert decisions.get(member__graded=False).grade is None  # the probationary member: no grade
    assert AuditEntry.objects.filter(action="evaluation.decide").count() == 7  # one entry per member
    again = client.post(_url(closed), data)  # a double submit: the form now lists only 王党员
    assert again.status_code == 400 and Decision.objects.count() == 7
    page = client.get(_url(closed)).content.decode()
    assert "一并评定其余 1 名党员" in page


def test_each_decision_settled_at_once_can_still_be_changed(world: Any, closed: Any) -> None:
    one = member_of(closed, world.people["rater1"])
    by = world.users["committee"]
    assert services.decide_remaining(round=closed, members=[one], grade=1, opinion="合格", reason="一贯", by=by) == 1
    services.decide(member=one, grade=0, opinion="带头学习", reason="表现突出", change_reason="复议", by=by)
    assert Decision.objects.get(member=one).grade == 0


def test_basic_and_failed_grades_are_never_given_at_once(world: Any, closed: Any) -> None:
    members = list(closed.members.all())
    for grade in (2, 3):
        with pytest.raises(ValidationError, match="须逐人评定"):
            services.decide_remaining(
                round=closed, members=members, grade=grade, opinion="x", reason="y", by=world.users["committee"]
            )
    assert not Decision.objects.exists()


def test_a_refused_form_keeps_what_was_typed(world: Any, closed: Any) -> None:
    response = world.client("committee").post(_url(closed), {"members": [], "grade": 1, "opinion": "我写的意见"})
    assert response.status_code == 400
    assert "我写的意见</textarea>" in response.content.decode() and not Decision.objects.exists()


def test_failed_needs_a_deadline_within_a_year(world: Any, closed: Any) -> None:
    wang = member_of(closed, world.people["member"])
    by = world.users["committee"]
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="须限期改正"):
        services.decide(member=wang, grade=3, opinion="不履行义务", reason="长期不参加组织生活", by=by)
    with pytest.raises(ValidationError, match="一年之内"):
        services.decide(
            member=wang, grade=3, opinion="不履行义务", reason="长期", correct_by=today + timedelta(days=400), by=by
        )
    decision = services.decide(
        member=wang, grade=3, opinion="不履行义务", reason="长期", correct_by=today + timedelta(days=180), by=by
    )
    assert decision.correct_by == today + timedelta(days=180)
    one = member_of(closed, world.people["rater1"])
    other = services.decide(member=one, grade=1, opinion="合格", reason="一贯", correct_by=today, by=by)
    assert other.correct_by is None  # only 不合格 carries a deadline


def test_the_decision_page_shows_the_count_against_the_cap(world: Any, closed: Any) -> None:
    one = member_of(closed, world.people["rater1"])
    services.decide(member=one, grade=0, opinion="带头", reason="突出", by=world.users["committee"])
    wang = member_of(closed, world.people["member"])
    page = world.client("committee").get(reverse("evaluation:decide", kwargs={"round_member_id": wang.pk}))
    body = page.content.decode()
    assert "“优秀”已评定 <strong>1</strong> 人，最多 2 人（参加评定 7 人的 1/3）" in body
    assert 'name="correct_by"' in body and "限期改正" in body


def test_the_history_names_a_deleted_login(world: Any, closed: Any) -> None:
    one = member_of(closed, world.people["rater1"])
    by = world.users["committee"]
    services.decide(member=one, grade=1, opinion="合格", reason="一贯", by=by)
    services.decide(member=one, grade=0, opinion="带头", reason="突出", change_reason="复议", by=by)
    Decision.objects.get(member=one).changes.update(changed_by=None)
    page = world.client("secretary").get(reverse("evaluation:decide", kwargs={"round_member_id": one.pk}))
    assert page.status_code == 200 and "（账号已删除）：复议" in page.content.decode()


def test_settling_at_once_is_all_or_nothing(world: Any, closed: Any, monkeypatch: Any) -> None:
    """A crash on the third member leaves no decision and no audit entry: the committee sends the form again."""
    from pingyi.evaluation.services import decisions

    real, calls = decisions.decide, []

    def crash_on_the_third(**kwargs: Any) -> Any:
        calls.append(kwargs["member"])
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(decisions, "decide", crash_on_the_third)
    with pytest.raises(RuntimeError):
        services.decide_remaining(
            round=closed,
            members=closed.members.all(),
            grade=1,
            opinion="合格",
            reason="一贯",
            by=world.users["committee"],
        )
    assert not Decision.objects.exists() and not AuditEntry.objects.filter(action="evaluation.decide").exists()
