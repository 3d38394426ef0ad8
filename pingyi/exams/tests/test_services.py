"""Sitting the test: the server's time limit, submitting once, paper sheets, grading by hand, make-ups,
progress and the stage summary."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from conftest import World, add_member
from pingyi.campaigns import services as campaigns
from pingyi.campaigns.models import Campaign, WorkItem
from pingyi.campaigns.progress import PeopleIndex, State, item_progress
from pingyi.core.models import AuditEntry
from pingyi.exams import selectors, services
from pingyi.exams.documents import lettered
from pingyi.exams.drawing import draw
from pingyi.exams.models import Answer, AnswerSheet, Kind, Mode, Paper, Sitting

from .conftest import make_sitting

pytestmark = pytest.mark.django_db


def _start(world: World, sitting: Sitting, who: str = "member", **kw: Any) -> AnswerSheet:
    return services.start_sheet(sitting=sitting, person=world.people[who], by=world.users.get(who), **kw)


def _right(answer: Answer) -> dict[str, Any]:
    q = answer.question
    if q.kind == Kind.FILL:
        return {"text": f" {q.accepted[0]} "}
    if q.kind == Kind.SHORT:
        return {"text": "警告、严重警告、撤销党内职务、留党察看、开除党籍"}
    return {"choices": [str(i) for i in q.correct_ids]}


def _answer_all(world: World, sheet: AnswerSheet, right: bool = True) -> None:
    for a in sheet.answers.select_related("question"):
        given = (
            _right(a)
            if right
            else {"choices": []}
            if a.question.kind not in (Kind.FILL, Kind.SHORT)
            else {"text": "不知道"}
        )
        services.save_answer(sheet_id=sheet.pk, user_id=world.users["member"].pk, position=a.position, **given)


def test_a_sheet_stores_its_seed_and_its_draw_is_reproducible(world: World, sitting: Sitting) -> None:
    sheet = _start(world, sitting)
    stored = [(a.question_id, tuple(a.option_order), a.max_points) for a in sheet.answers.order_by("position")]
    redrawn = [(d.question_id, d.option_order, d.points) for d in draw(services.paper_spec(sitting.paper), sheet.seed)]
    assert stored == redrawn
    assert sheet.max_score == 2 + 2 + 1 + 4 + 5


def test_starting_again_on_another_phone_resumes_the_same_sheet(world: World, sitting: Sitting) -> None:
    first = _start(world, sitting)
    a = first.answers.select_related("question").get(position=1)
    services.save_answer(sheet_id=first.pk, user_id=world.users["member"].pk, position=1, **_right(a))
    again = _start(world, sitting)
    assert again.pk == first.pk
    assert Answer.objects.get(sheet=again, position=1).response != ""
    assert AuditEntry.objects.filter(action="exams.sheet_started").count() == 1


def test_members_see_their_own_option_order_and_are_graded_by_the_option(
    world: World, campaign: Campaign, bank: Any
) -> None:
    paper = services.create_paper(
        org=world.orgs["branch"],
        bank=bank,
        code="p",
        title="单选",
        by=None,
        pass_mark=1,
        rules=[services.RuleInput(kind=Kind.SINGLE, count=3)],
    )
    sitting = make_sitting(world, campaign, paper)
    people = add_members_with_logins(world, 12)
    orders = set()
    for person in people:
        sheet = services.start_sheet(sitting=sitting, person=person, by=None)
        for a in sheet.answers.select_related("question"):
            orders.add((a.question_id, tuple(a.option_order)))
            letter = next(letter for letter, _t, oid in lettered(a) if oid in a.question.correct_ids)
            services.save_answer(
                sheet_id=sheet.pk,
                user_id=person.user_id,
                position=a.position,
                choices=[str(a.option_order["ABCD".index(letter)])],
            )
        assert services.submit_sheet(sheet=sheet, by=None).sheet.score == 3
    assert len(orders) > 3  # the same three questions, in more than one option order


def add_members_with_logins(world: World, n: int) -> list[Any]:
    from django.contrib.auth import get_user_model

    people = []
    for i in range(n):
        person = add_member(world, f"党员{i}")
        person.user = get_user_model().objects.create_user(username=f"m{i}", password="x-12345-long")
        person.save(update_fields=["user"])
        people.append(person)
    return people


def test_an_answer_after_the_time_limit_is_refused(world: World, sitting: Sitting) -> None:
    start = timezone.now()
    sheet = _start(world, sitting, now=start)
    assert sheet.due_at == start + timedelta(minutes=30)
    uid = world.users["member"].pk
    services.save_answer(sheet_id=sheet.pk, user_id=uid, position=1, choices=["1"], now=start + timedelta(minutes=29))
    with pytest.raises(ValidationError, match="答题时间已到"):
        services.save_answer(
            sheet_id=sheet.pk, user_id=uid, position=1, choices=["2"], now=start + timedelta(minutes=30)
        )
    assert Answer.objects.get(sheet=sheet, position=1).response == "1"


def test_the_time_limit_ends_with_the_window(world: World, campaign: Campaign, paper: Paper) -> None:
    now = timezone.now()
    sitting = make_sitting(world, campaign, paper, minutes=90, closes_at=now + timedelta(minutes=10))
    sheet = _start(world, sitting, now=now)
    assert sheet.due_at == sitting.closes_at


def test_nobody_else_saves_into_a_members_sheet(world: World, sitting: Sitting) -> None:
    sheet = _start(world, sitting)
    with pytest.raises(AnswerSheet.DoesNotExist):
        services.save_answer(sheet_id=sheet.pk, user_id=world.users["secretary"].pk, position=1, choices=["1"])


def test_a_sheet_is_submitted_once(world: World, sitting: Sitting) -> None:
    sheet = _start(world, sitting)
    _answer_all(world, sheet)
    first = services.submit_sheet(sheet=sheet, by=world.users["member"])
    second = services.submit_sheet(sheet=sheet, by=world.users["member"])
    assert first.changed and not second.changed
    assert second.sheet.submitted_at == first.sheet.submitted_at
    assert first.sheet.score == 2 + 2 + 1 + 4 and first.sheet.pending == 1  # the short answer waits
    assert AuditEntry.objects.filter(action="exams.sheet_submitted").count() == 1
    with pytest.raises(ValidationError, match="已经交卷"):
        services.save_answer(sheet_id=sheet.pk, user_id=world.users["member"].pk, position=1, choices=["1"])


def test_a_sheet_past_its_time_is_submitted_on_the_next_request_and_by_the_sweep(
    world: World, sitting: Sitting
) -> None:
    long_ago = timezone.now() - timedelta(minutes=45)
    mine = _start(world, sitting, now=long_ago)
    other = add_members_with_logins(world, 1)[0]
    theirs = services.start_sheet(sitting=sitting, person=other, by=None, now=long_ago)
    assert services.answering.submit_if_due(mine)
    assert mine.auto_submitted and mine.submitted_at == mine.due_at
    call_command("submit_due_sheets", stdout=io.StringIO())
    theirs.refresh_from_db()
    assert theirs.submitted_at == theirs.due_at and theirs.auto_submitted


def test_short_answers_are_graded_by_hand_against_the_reference(world: World, sitting: Sitting) -> None:
    sheet = _start(world, sitting)
    _answer_all(world, sheet)
    services.submit_sheet(sheet=sheet, by=None)
    answer = selectors.ungraded(sitting).get()
    with pytest.raises(ValidationError, match="0 到 5"):
        services.grade_short_answer(answer=answer, points=6, comment="", by=world.users["secretary"])
    services.grade_short_answer(answer=answer, points=4, comment="少写了一种", by=world.users["secretary"])
    sheet.refresh_from_db()
    assert (sheet.score, sheet.pending) == (9 + 4, 0)
    services.grade_sheets([sheet.pk])
    sheet.refresh_from_db()
    assert sheet.score == 13  # regrading keeps the grader's mark


def test_the_secretary_types_in_a_paper_sheet_with_the_letters_printed(world: World, sitting: Sitting) -> None:
    retired = add_member(world, "刘退休")
    sheet = services.issue_paper_sheet(sitting=sitting, person=retired, by=world.users["secretary"])
    assert sheet.mode == Mode.PAPER
    entries: dict[int, str] = {}
    for a in sheet.answers.select_related("question"):
        if a.question.kind == Kind.TRUE_FALSE:
            entries[a.position] = "对" if a.question.correct_ids == [a.option_order[0]] else "×"
        elif a.question.kind in (Kind.SINGLE, Kind.MULTIPLE):
            entries[a.position] = "".join(x for x, _t, oid in lettered(a) if oid in a.question.correct_ids).lower()
        else:
            entries[a.position] = _right(a)["text"]
    bad = {**entries, 3: "Z"}
    with pytest.raises(ValidationError, match="第 3 题"):
        services.enter_paper_answers(sheet=sheet, entries=bad, by=world.users["secretary"])
    assert not Answer.objects.filter(sheet=sheet).exclude(response="").exists()
    result = services.enter_paper_answers(sheet=sheet, entries=entries, by=world.users["secretary"])
    assert result.changed and result.sheet.score == 9
    assert not services.enter_paper_answers(sheet=sheet, entries=entries, by=world.users["secretary"]).changed


def test_a_makeup_is_for_the_absent_with_their_reason(world: World, sitting: Sitting) -> None:
    now = timezone.now()
    other = add_member(world, "出差党员")
    sheet = _start(world, sitting)
    services.submit_sheet(sheet=sheet, by=None)
    with pytest.raises(ValidationError, match="已经参加"):
        services.create_makeup(
            sitting=sitting,
            seats=[(world.people["member"], "重复")],
            opens_at=now,
            closes_at=now + timedelta(days=1),
            time_limit=30,
            by=None,
        )
    makeup = services.create_makeup(
        sitting=sitting,
        seats=[(other, "出差在外")],
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        time_limit=30,
        by=world.users["secretary"],
    )
    assert makeup.paper_id == sitting.paper_id and makeup.work_item_id == sitting.work_item_id
    with pytest.raises(ValidationError, match="应考名单"):
        services.start_sheet(sitting=makeup, person=world.people["member"], by=None)
    services.start_sheet(sitting=makeup, person=other, by=None)
    rows = {r.person.name: r for r in selectors.roster(sitting)}
    assert rows["出差党员"].makeup_reason == "出差在外"


def test_progress_done_when_submitted_started_while_answering(
    world: World, campaign: Campaign, sitting: Sitting
) -> None:
    other = add_member(world, "未交卷")
    away = add_member(world, "外出")
    campaigns.excuse(campaign=campaign, person=away, reason="长期在外地工作", by=world.users["secretary"])
    services.submit_sheet(sheet=_start(world, sitting), by=None)
    services.start_sheet(sitting=sitting, person=other, by=None)
    item = WorkItem.objects.get(stage__campaign=campaign, rule="exams.sat")
    progress = item_progress(item, campaign.org, PeopleIndex([campaign.org]))
    assert progress.state_of(world.people["member"].pk) == State.DONE
    assert progress.state_of(away.pk) == State.EXCUSED
    assert other.pk in progress.started_ids


def test_stage_statistics_count_who_sat_and_why_others_did_not(
    world: World, campaign: Campaign, sitting: Sitting
) -> None:
    away = add_member(world, "外出")
    absent = add_member(world, "缺考")
    campaigns.excuse(campaign=campaign, person=away, reason="长期在外地工作", by=None)
    sheet = _start(world, sitting)
    _answer_all(world, sheet)
    services.submit_sheet(sheet=sheet, by=None)
    services.grade_short_answer(answer=selectors.ungraded(sitting).get(), points=5, comment="", by=None)
    now = timezone.now()
    services.create_makeup(
        sitting=sitting,
        seats=[(absent, "生病住院")],
        opens_at=now,
        closes_at=now + timedelta(days=1),
        time_limit=30,
        by=None,
    )
    stats = selectors.stage_statistics(campaign, sitting.work_item.stage)  # type: ignore[union-attr]
    assert (stats.expected, stats.sat, stats.average, stats.pass_rate) == (2, 1, 14.0, 1.0)
    assert [(a.name, a.reason) for a in stats.absent] == [("缺考", "生病住院")]
    assert [(a.name, a.reason) for a in stats.excused] == [("外出", "长期在外地工作")]


def test_right_answers_are_shown_only_after_the_window_and_its_makeups_close(world: World, sitting: Sitting) -> None:
    now = timezone.now()
    assert not selectors.answers_released(sitting)
    Sitting.objects.filter(pk=sitting.pk).update(
        closes_at=now - timedelta(minutes=1), opens_at=now - timedelta(hours=2)
    )
    sitting.refresh_from_db()
    assert selectors.answers_released(sitting)
    services.create_makeup(
        sitting=sitting,
        seats=[(add_member(world, "补考"), "出差")],
        opens_at=now,
        closes_at=now + timedelta(days=2),
        time_limit=30,
        by=None,
    )
    assert not selectors.answers_released(sitting)


def test_weak_questions_are_those_most_got_wrong(world: World, sitting: Sitting) -> None:
    people = add_members_with_logins(world, 4)
    for i, person in enumerate(people):
        sheet = services.start_sheet(sitting=sitting, person=person, by=None)
        for a in sheet.answers.select_related("question"):
            wrong = a.question.kind == Kind.FILL and "最高处分" in a.question.text
            given = {"text": "留党察看"} if wrong else _right(a)
            if i == 0 and a.question.kind == Kind.TRUE_FALSE:
                given = {"choices": []}
            services.save_answer(sheet_id=sheet.pk, user_id=person.user_id, position=a.position, **given)
        services.submit_sheet(sheet=sheet, by=None)
    weak = selectors.weak_questions(sitting.paper)
    assert [w.question.text for w in weak] == ["党内的最高处分是＿＿＿＿。"]
    analysis = selectors.paper_analysis(sitting.paper)
    tf = [i for i in analysis.items if i.question.kind == Kind.TRUE_FALSE]
    assert all(i.difficulty == 0.75 and i.discrimination is not None and i.discrimination > 0 for i in tf)
    assert {t.tag for t in analysis.tags} == {"党章", "纪律"}


def test_a_paper_needs_enough_questions_in_the_bank(world: World, bank: Any) -> None:
    with pytest.raises(ValidationError, match="只有 2 道"):
        services.create_paper(
            org=world.orgs["branch"],
            bank=bank,
            code="x",
            title="太多",
            by=None,
            rules=[services.RuleInput(kind=Kind.TRUE_FALSE, count=5)],
        )
