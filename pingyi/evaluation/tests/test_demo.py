import pytest
from django.core.management import call_command

from pingyi.evaluation import selectors
from pingyi.evaluation.models import Decision, EvaluationRound, Notice, Participation

from .factories import votes

pytestmark = pytest.mark.django_db


def test_the_demo_round_runs_the_whole_cycle_marked_and_seeded_once() -> None:
    call_command("seed_demo", verbosity=0)
    round = EvaluationRound.objects.get()
    assert round.is_demo and "【演示】" in round.title and round.is_closed
    summary = selectors.participation(round)
    assert (summary.members, summary.excluded, summary.voted) == (29, 3, 26) and summary.meets_target
    counted = votes(round=round, dimension=0)
    graded = round.members.filter(graded=True).count()
    voters = Participation.objects.filter(round=round).values_list("member__graded", flat=True)
    assert counted == sum(graded - 1 if voter_graded else graded for voter_graded in voters)  # nobody rates themself
    assert Decision.objects.filter(member__round=round).count() == 29
    grades = selectors.notice_counts(round)["grades"]
    assert grades == [["优秀", 2], ["合格", 24], ["基本合格", 1], ["不合格", 0]]
    assert Notice.objects.get(round=round).scope == "branch"
    call_command("seed_demo", verbosity=0)
    assert EvaluationRound.objects.count() == 1 and Participation.objects.count() == 26
