import pytest
from django.core.management import call_command

from pingyi.evaluation.models import EvaluationRound, Participation

from .factories import votes

pytestmark = pytest.mark.django_db


def test_the_demo_round_is_open_marked_and_seeded_once() -> None:
    call_command("seed_demo", verbosity=0)
    round = EvaluationRound.objects.get()
    assert round.is_demo and "【演示】" in round.title and round.is_open
    assert Participation.objects.filter(round=round).count() == 6
    counted = votes(round=round, dimension=0)
    graded = round.members.filter(graded=True).count()
    voters = Participation.objects.filter(round=round).values_list("member__graded", flat=True)
    assert counted == sum(graded - 1 if voter_graded else graded for voter_graded in voters)  # nobody rates themself
    call_command("seed_demo", verbosity=0)
    assert EvaluationRound.objects.count() == 1 and Participation.objects.count() == 6
