"""Campaign templates carry English (and any language added later) beside the Chinese (issue 12, item 5)."""

import importlib
import re
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from conftest import World
from pingyi.campaigns.models import CampaignTemplate, LookBackItem, Stage, WorkItem
from pingyi.campaigns.spec import other_languages, parse_template, shipped_templates, untranslated

migration = importlib.import_module("pingyi.campaigns.migrations.0005_template_translations")


@pytest.mark.parametrize(("code", "body"), [(c, b) for c, _n, b in shipped_templates()])
def test_every_shipped_template_string_has_every_other_language(code: str, body: str) -> None:
    assert other_languages() == ["en"]
    assert untranslated(parse_template(body)) == [], f"{code}: add the missing translations"


def test_a_template_string_without_english_is_reported() -> None:
    body = """
name: 测试活动
en: {name: A test campaign}
stages:
  - code: only
    name: 唯一阶段
    en: {name: The only stage}
    days: 5
    work_items:
      - {code: a, name: 事项, hint: 说明, en: {name: An item}}
    lookback: [{text: 检查一, en: Check one}, 检查二]
"""
    assert untranslated(parse_template(body)) == ["en: 说明", "en: 检查二"]


@translation.override("zh-hans")
def test_a_language_key_must_say_which_fields() -> None:
    with pytest.raises(ValidationError, match="en 应是映射"):
        parse_template("name: 甲\nen: Alpha\nstages: [{code: s, name: 乙, days: 1, lookback: [丙]}]")
    with pytest.raises(ValidationError, match="无法识别的键：title"):
        parse_template("name: 甲\nen: {title: x}\nstages: [{code: s, name: 乙, days: 1, lookback: [丙]}]")
    with pytest.raises(ValidationError, match="无法识别的键：fr"):
        parse_template("name: 甲\nfr: {name: x}\nstages: [{code: s, name: 乙, days: 1, lookback: [丙]}]")


@pytest.mark.django_db
def test_a_campaign_keeps_the_template_languages_and_pages_show_the_readers(world: World, campaign: Any) -> None:
    stage = campaign.stages.get(order=1)
    item = WorkItem.objects.get(stage=stage, code="reflection")
    line = stage.lookback_items.get(order=1)
    assert (stage.name, item.name) == ("学习动员", "撰写学习心得")  # the rows keep the Chinese
    with translation.override("en"):
        assert (stage.label, item.label, line.label) == (
            "Study and mobilisation",
            "Write a study reflection",
            "The study plan has reached every member and the reading list has been handed out",
        )
        assert item.hint_label.startswith("Write what you learned")
    with translation.override("zh-hans"):
        assert (stage.label, item.label) == ("学习动员", "撰写学习心得")

    with translation.override("zh-hans"):  # the requests below switch the thread to English; switch it back
        client = world.client("member")
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        home = client.get("/").content.decode()
        page = world.client("secretary")
        page.post("/i18n/setlang/", {"language": "en", "next": "/"})
        detail = page.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "Write a study reflection" in home and "撰写学习心得" not in home
    chinese = {s.name for s in Stage.objects.filter(campaign=campaign)}
    chinese |= {i.name for i in WorkItem.objects.filter(stage__campaign=campaign)}
    chinese |= {t.text for t in LookBackItem.objects.filter(stage__campaign=campaign)}
    assert not [text for text in chinese if text in detail]


@pytest.mark.django_db
def test_the_migration_gives_stored_templates_and_existing_campaigns_their_languages(
    world: World, campaign: Any
) -> None:
    # A database from before: bodies without `en:`, rows without translations.
    template = CampaignTemplate.objects.get(code="advanced-nature-education")
    bare = "\n".join(line for line in template.body.split("\n") if not line.strip().startswith("en:"))
    bare = re.sub(r'- \{text: "([^"]+)", en: "[^"]+"\}', r"- \1", bare)
    assert untranslated(parse_template(bare))
    CampaignTemplate.objects.filter(pk=template.pk).update(body=bare)
    edited = CampaignTemplate.objects.get(code="democratic-evaluation")
    CampaignTemplate.objects.filter(pk=edited.pk).update(body=edited.body.replace("days: 14", "days: 10", 1))
    for model in (Stage, WorkItem, LookBackItem):
        model.objects.update(translations={})

    migration.forwards(apps, None)

    template.refresh_from_db()
    assert untranslated(parse_template(template.body)) == []
    assert "days: 10" in CampaignTemplate.objects.get(pk=edited.pk).body  # an edited template keeps its text
    with translation.override("en"):
        assert campaign.stages.get(order=2).label == "Analysis and evaluation"
        assert WorkItem.objects.get(stage__campaign=campaign, code="feedback").label.startswith("Give the")
        assert LookBackItem.objects.filter(stage__campaign=campaign, translations={}).count() == 0


def test_the_talk_rules_carry_every_other_language() -> None:
    from pingyi.talks.coverage import load_requirements

    rules = load_requirements()
    for lang in other_languages():
        missing = [r.name for r in rules.requirements if not r.translations.get(lang)]
        assert rules.translations.get(lang) and not missing, f"{lang}: {missing}"
    with translation.override("en"):
        assert rules.label == "Heart-to-heart talks at least once a year"
        assert rules.requirements[0].label == "Between committee members"
