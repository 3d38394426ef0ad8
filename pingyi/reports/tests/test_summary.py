"""Stage summaries drafted from the record: figures that match the record and link to it, 【待补充】 where the
record is silent, versions kept, a final one locked, and a Word file in the official layout."""

from io import BytesIO, StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from docx import Document as read_docx

from conftest import World, open_campaign
from pingyi.campaigns import services as campaigns
from pingyi.opinions import services as opinions
from pingyi.opinions.models import Channel, OpinionRound
from pingyi.reports import services
from pingyi.reports.models import StageSummary
from pingyi.reports.summary import MISSING, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage_two(world: World) -> Any:
    """The campaign in its second stage (分析评议), with three opinions: one answered, one declined, one open."""
    campaign = open_campaign(world)
    first = campaign.stages.get(order=1)
    for item in first.lookback_items.all():
        campaigns.check_lookback_item(item=item, by=world.users["secretary"])
    campaigns.sign_off_stage(stage=first, by=world.users["secretary"])
    round_ = OpinionRound.objects.create(org=world.orgs["branch"], campaign=campaign, title="征求意见")
    made = [opinions.record_opinion(round=round_, channel=Channel.PAPER, text=t, by=None) for t in ("一", "二", "三")]
    opinions.answer_opinion(opinion=made[0], answer="已办理", by=None)
    opinions.answer_opinion(opinion=made[1], answer="不属本局职责", by=None, decline=True)
    return campaign, campaign.stages.get(order=2)


def text_of(sections: list[Any], key: str) -> str:
    section = next(s for s in sections if s.key == key)
    return "".join(sentence.text for sentence in section.sentences)


def test_the_draft_states_the_records_figures_and_marks_what_it_lacks(world: World, stage_two: Any) -> None:
    campaign, stage = stage_two
    sections = draft(campaign, stage)
    assert "共征求到意见 3 条（纸质征求表 3 条）" in text_of(sections, "opinions")
    assert "已答复 2 条，转为整改事项 0 条，尚未处理 1 条" in text_of(sections, "opinions")
    assert "有 1 条意见尚未答复或处理" in text_of(sections, "shortcomings")
    assert MISSING in text_of(sections, "meetings")  # no meeting recorded yet: the draft does not invent one
    opinion_links = [f.url for s in sections if s.key == "opinions" for line in s.sentences for f in line.figures]
    assert opinion_links and all(url == reverse("opinions:campaign", args=[campaign.pk]) for url in opinion_links)


def test_versions_are_kept_and_a_final_one_closes_the_summary(world: World, stage_two: Any) -> None:
    _campaign, stage = stage_two
    first = services.save_summary(
        stage=stage, notes={"opinions": "群众反映集中在办事效率。"}, by=world.users["secretary"]
    )
    second = services.save_summary(stage=stage, notes={"opinions": "改"}, by=world.users["secretary"], final=True)
    assert (first.number, second.number, second.final) == (1, 2, True)
    assert StageSummary.objects.get(pk=first.pk).notes == {"opinions": "群众反映集中在办事效率。"}
    with pytest.raises(ValidationError, match="定稿"):
        services.save_summary(stage=stage, notes={}, by=world.users["secretary"])


def test_the_secretary_edits_finalises_and_downloads_it(world: World, stage_two: Any) -> None:
    campaign, stage = stage_two
    url = reverse("reports:summary", args=[campaign.pk, stage.order])
    client = world.client("secretary")
    page = client.get(url).content.decode()
    assert 'class="figure"' in page and MISSING in page
    response = client.post(url, {"opinions": "下一步将逐条回访。", "final": "1"}, follow=True)
    assert "已定稿" in response.content.decode()
    summary = StageSummary.objects.get(stage=stage, final=True)
    docx = read_docx(BytesIO(client.get(reverse("reports:summary_download", args=[summary.pk])).content))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "阶段总结" in text and "共征求到意见 3 条" in text and "下一步将逐条回访。" in text


def test_only_those_who_manage_the_campaign_write_it(world: World, stage_two: Any) -> None:
    campaign, stage = stage_two
    url = reverse("reports:summary", args=[campaign.pk, stage.order])
    assert world.client("supervisor").get(url).status_code == 200
    assert world.client("supervisor").post(url, {"opinions": "x"}).status_code == 403
    assert world.client("member").get(url).status_code == 403
    assert not StageSummary.objects.exists()


def test_the_command_prints_the_draft(world: World, stage_two: Any) -> None:
    campaign, stage = stage_two
    out = StringIO()
    call_command("stage_summary", campaign=campaign.pk, stage=stage.order, stdout=out)
    assert "分析评议阶段总结" in out.getvalue() and "共征求到意见 3 条" in out.getvalue()
