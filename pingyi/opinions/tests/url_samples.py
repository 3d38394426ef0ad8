from typing import Any

from django.utils import timezone

from conftest import open_campaign
from pingyi.opinions import services
from pingyi.opinions.models import Channel, LetterBatch

PROVIDES = {"opinion_round_id", "opinion_id", "invitee_id", "letter_batch_id", "symposium_id", "opinion_round_key"}


def samples(world: Any) -> dict[str, Any]:
    """A round of the branch with an opinion, an invitee, a symposium and a finished letter batch."""
    secretary = world.users["secretary"]
    campaign = open_campaign(world)
    round_ = services.create_round(org=world.orgs["branch"], campaign=campaign, title="征求意见", by=secretary)
    opinion = services.record_opinion(round=round_, channel=Channel.PAPER, text="窗口办事要排两次队", by=secretary)
    services.add_invitees(round=round_, entries=[services.InviteeEntry(name="城关鞋业有限公司")], by=secretary)
    symposium = services.record_symposium(round=round_, title="企业座谈会", held_on=timezone.localdate(), by=secretary)
    batch = LetterBatch.objects.create(round=round_, kind=LetterBatch.Kind.LETTERS, content=b"PK", count=1)
    return {
        "opinion_round_id": round_.pk,
        "opinion_id": opinion.pk,
        "invitee_id": round_.invitees.get().pk,
        "letter_batch_id": batch.pk,
        "symposium_id": symposium.pk,
        "opinion_round_key": round_.public_key,
    }
