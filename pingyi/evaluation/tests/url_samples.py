from typing import Any

PROVIDES = {"round_id", "round_member_id", "exclusion_id", "batch_id", "notice_id", "round_key"}


def samples(world: Any) -> dict[str, Any]:
    """An open round of the branch (the world's member takes part), with one pending exclusion and a
    paper batch; a second, closed round with every decision made and a notice to branch members."""
    from conftest import add_members
    from pingyi.evaluation import services
    from pingyi.evaluation.models import RoundMember
    from pingyi.evaluation.tests.factories import new_round

    add_members(world, 3)
    secretary = world.users["secretary"]
    round = new_round(world)
    member = RoundMember.objects.get(round=round, person=world.people["member"])
    exclusion = services.request_exclusion(round=round, member=member, reason="长期卧床", by=secretary)
    services.mark_paper_voted(
        round=round, members=[RoundMember.objects.get(round=round, person=world.people["rater1"])], by=secretary
    )
    batch = services.create_batch(round=round, source="members", ballots=1, by=secretary)
    closed = services.create_round(campaign=round.campaign, org=round.org, title="已结束的测评", by=secretary)
    closed = services.open_round(round=closed, by=secretary)
    closed = services.close_round(round=closed, by=secretary)
    for m in closed.members.all():
        services.decide(member=m, grade=1 if m.graded else None, opinion="合格", reason="表现一贯良好", by=secretary)
    notice = services.publish_notice(round=closed, scope="branch", title="", remarks="", by=secretary)
    return {
        "round_id": round.pk,
        "round_member_id": RoundMember.objects.get(round=closed, person=world.people["member"]).pk,
        "exclusion_id": exclusion.pk,
        "batch_id": batch.pk,
        "notice_id": notice.pk,
        "round_key": round.public_key,
    }
