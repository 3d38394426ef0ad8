from typing import Any

PROVIDES = {"round_id", "round_member_id", "exclusion_id", "batch_id", "notice_id", "round_key"}


def samples(world: Any) -> dict[str, Any]:
    """Rounds of the branch in each state: draft, open (the default: a pending exclusion, a member marked
    as having voted on paper) and closed (every decision made, a notice to the branch's members); a paper
    batch of five in another open round, so closing the open one is not held up by it. Five more members
    with logins take part besides the world's member and retired member; form data for the POSTs that need it."""
    from conftest import add_members
    from pingyi.evaluation import services
    from pingyi.evaluation.forms import RoundForm
    from pingyi.evaluation.models import EvaluationRound, RoundMember
    from pingyi.evaluation.tests.factories import close, new_round

    add_members(world, 5)
    secretary = world.users["secretary"]
    draft = new_round(world, opened=False, title="筹备中的测评")
    round = new_round(world, title="进行中的测评")
    exclusion = services.request_exclusion(
        round=round, member=_member(round, world, "member"), reason="长期卧床", by=secretary
    )
    services.mark_paper_voted(round=round, members=[_member(round, world, "rater1")], by=secretary)
    paper = new_round(world, title="录入纸质票")
    voters = [_member(paper, world, f"rater{n}") for n in range(1, 6)]  # a batch holds at least min_raters
    services.mark_paper_voted(round=paper, members=voters, by=secretary)
    batch = services.create_batch(round=paper, source="members", ballots=5, by=secretary)
    closed = close(new_round(world, title="已结束的测评"), secretary)
    for m in closed.members.all():
        services.decide(member=m, grade=1 if m.graded else None, opinion="合格", reason="表现一贯良好", by=secretary)
    notice = services.publish_notice(round=closed, scope="branch", title="", remarks="", by=secretary)
    code = services.issue_public_codes(round=round, count=1, by=secretary)[0]

    values: dict[str, Any] = {
        "exclusion_id": exclusion.pk,
        "batch_id": batch.pk,
        "notice_id": notice.pk,
        "evaluation:codes": {"count": 1},
        # Public slips: the open round's members who voted on paper are fewer than a batch may hold.
        "evaluation:batch_create": {"source": "public", "ballots": 5},
        "evaluation:round_close": {"below_target_confirmed": "on", "shortfall_reason": "多名党员外出务工，已多次督促"},
        "evaluation:notice_create": {"scope": "branch", "title": "", "remarks": "", "correction": "更正一处笔误"},
        "evaluation:public_rate": {"code": code, **_ballot(round)},
    }
    states: dict[str, EvaluationRound] = {"draft": draft, "open": round, "closed": closed}
    for state, r in states.items():
        values |= {
            f"round_id@{state}": r.pk,
            f"round_key@{state}": r.public_key,
            f"round_member_id@{state}": _member(r, world, "member").pk,
            f"evaluation:round_edit@{state}": {k: v for k, v in RoundForm.initial_for(r).items() if v is not None},
            f"evaluation:self_assess@{state}": {"text": "学习不够深入，今后改进。", "grade": 1},
            f"evaluation:rate@{state}": _ballot(r),
            f"evaluation:exclusion_request@{state}": {"member": _member(r, world, "rater2").pk, "reason": "外出务工"},
            f"evaluation:paper_voted@{state}": {"members": [_member(r, world, "rater3").pk]},
            f"evaluation:decide@{state}": {
                "grade": 1,
                "opinion": "合格",
                "reason": "表现良好",
                "change_reason": "复议",
            },
        }
    # The default samples (and form data) are the states the prose names: the open round, a member of the closed one.
    values |= {key.removesuffix("@open"): value for key, value in values.items() if key.endswith("@open")}
    values |= {
        "round_member_id": values["round_member_id@closed"],
        "evaluation:decide": values["evaluation:decide@closed"],
    }
    assert RoundMember.objects.filter(round=draft).exists()  # a draft round lists its members already
    return values


def _member(round: Any, world: Any, persona: str) -> Any:
    from pingyi.evaluation.models import RoundMember

    return RoundMember.objects.get(round=round, person=world.people[persona])


def _ballot(round: Any) -> dict[str, int]:
    """The same grade for every graded member: the rater's own line is not read."""
    return {f"g-{m.pk}": 1 for m in round.members.filter(graded=True)}
