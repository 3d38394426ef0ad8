from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import open_campaign
from pingyi.writings import services
from pingyi.writings.models import REFLECTION_RULE

PROVIDES = {"writing_id", "writings:start"}
TEXT = {"title": "学习心得", "text": "学习党章，对照检查。"}


def samples(world: Any) -> dict[str, Any]:
    """The member's reflections in each state, one per campaign of the branch: draft, submitted and
    awaiting review (the default), returned with comments, accepted; form data for the editor and reviews."""
    member = world.users["member"]
    values: dict[str, Any] = {}
    for state in ("draft", "submitted", "returned", "accepted"):
        campaign = open_campaign(world, title=f"先进性教育（{state}）")
        item = campaign.stages.get(order=1).work_items.get(rule=REFLECTION_RULE)
        writing = services.start_writing(work_item=item, author=world.people["member"], by=member)
        services.save_draft(writing=writing, by=member, **TEXT)
        if state != "draft":
            services.submit_writing(writing=writing, by=member)
        if state == "returned":
            services.return_writing(writing=writing, by=world.users["secretary"], version_number=1, comment="请具体些")
        if state == "accepted":
            services.accept_writing(writing=writing, by=world.users["secretary"], version_number=1)
        values[f"writing_id@{state}"] = writing.pk
    started = open_campaign(world)  # the campaigns samples' campaign_id, where the member has written nothing
    return values | {
        "writing_id": values["writing_id@submitted"],
        "writings:start": {"work_item": started.stages.get(order=1).work_items.get(rule=REFLECTION_RULE).pk},
        "writings:edit": TEXT,
        "writings:autosave": {**TEXT, "seq": 99, "client": "matrix"},
        "writings:submit": TEXT,
        "writings:upload": {"file": SimpleUploadedFile("学习心得.txt", "学习党章，对照检查。".encode())},
        "writings:diff": {"a": 1, "b": 1},
        "writings:return": {"version": 1, "comment": "请结合本职工作再谈一谈"},
        "writings:accept": {"version": 1, "comment": ""},
    }
