import pytest
from django.core.management import call_command

from pingyi.campaigns.models import WorkItem
from pingyi.campaigns.progress import PeopleIndex, item_progress
from pingyi.opinions.models import Opinion, OpinionRound, OpinionStatus

pytestmark = pytest.mark.django_db


def test_the_demo_round_has_opinions_through_several_channels_and_runs_once() -> None:
    call_command("seed_demo", verbosity=0)
    round_ = OpinionRound.objects.get()
    assert round_.is_demo and "【演示】" in round_.title and round_.campaign is not None
    opinions = Opinion.objects.all()
    assert all(o.is_demo for o in opinions)
    assert {o.channel for o in opinions} >= {"online", "paper", "letter", "symposium", "visit"}
    assert opinions.filter(status=OpinionStatus.ANSWERED).count() == 1
    assert round_.invitees.count() >= 3
    item = WorkItem.objects.get(stage__campaign=round_.campaign, rule="opinions.solicited")
    progress = item_progress(item, round_.campaign.org, PeopleIndex([round_.campaign.org]))
    assert progress.done >= 1  # the director held the symposium
    count = opinions.count()
    call_command("seed_demo", verbosity=0)
    assert OpinionRound.objects.count() == 1 and Opinion.objects.count() == count
