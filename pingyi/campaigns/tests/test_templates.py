from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from pingyi.campaigns.forms import CampaignTemplateAdminForm
from pingyi.campaigns.models import CampaignTemplate
from pingyi.campaigns.spec import parse_template, shipped_templates

pytestmark = pytest.mark.django_db

GOOD = """
name: 测试活动
stages:
  - code: only
    name: 唯一阶段
    days: 5
    work_items:
      - {code: a, name: 事项, audience: leaders, due_day: 3}
    lookback: [检查一]
"""


def test_every_shipped_file_parses_and_is_loaded_by_the_migration() -> None:
    shipped = shipped_templates()
    assert {code for code, _, _ in shipped} == {"advanced-nature-education", "democratic-evaluation"}
    assert set(CampaignTemplate.objects.values_list("code", flat=True)) >= {c for c, _, _ in shipped}


def test_advanced_nature_template_has_the_three_stages_and_seven_evaluation_items() -> None:
    spec = parse_template(CampaignTemplate.objects.get(code="advanced-nature-education").body)
    assert [s.name for s in spec.stages] == ["学习动员", "分析评议", "整改提高"]
    names = [i.name for i in spec.stages[1].work_items]
    for expected in [
        "征求意见",
        "开展谈心谈话",
        "撰写个人党性分析材料",
        "形成评议意见",
        "书面反馈评议意见",
        "通报评议情况",
    ]:
        assert expected in names


def test_load_command_is_idempotent_and_keeps_admin_edits_unless_asked() -> None:
    CampaignTemplate.objects.filter(code="democratic-evaluation").update(body=GOOD)
    out = StringIO()
    call_command("load_campaign_templates", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()
    assert CampaignTemplate.objects.get(code="democratic-evaluation").body == GOOD
    call_command("load_campaign_templates", "--overwrite", stdout=out)
    assert "民主评议党员" in CampaignTemplate.objects.get(code="democratic-evaluation").body
    CampaignTemplate.objects.all().delete()
    call_command("load_campaign_templates", stdout=out)
    assert CampaignTemplate.objects.count() == 2


def test_good_body_parses_with_due_day() -> None:
    spec = parse_template(GOOD)
    assert spec.stages[0].work_items[0].due_day == 3
    assert spec.stages[0].work_items[0].audience == "leaders"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("name: x\nstages: [\n", "YAML 格式错误"),
        ("- just a list", "映射"),
        ("name: x\nstages: []", "至少要有一个阶段"),
        ("name: x\nstages:\n  - {code: s, name: 阶段, days: 0, lookback: [a]}", "第 1 阶段的 days"),
        ("name: x\nstages:\n  - {code: s, name: 阶段, days: 3}", "lookback"),
        (
            "name: x\nstages:\n  - {code: s, name: 阶段, days: 3, lookback: [a],"
            " work_items: [{code: w, name: 事, audience: all}]}",
            "第 1 阶段第 1 项工作事项的 audience",
        ),
        ("name: x\nstages:\n  - {code: s, name: 阶段, dayz: 3, lookback: [a]}", "无法识别的键：dayz"),
        (
            "name: x\nstages:\n  - {code: s, name: 阶段, days: 3, lookback: [a]}"
            "\n  - {code: s, name: 二, days: 3, lookback: [a]}",
            "阶段代码重复：s",
        ),
    ],
)
def test_bad_bodies_are_refused_with_a_chinese_message(body: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_template(body)
    assert message in caught.value.messages[0]


def test_admin_form_shows_the_yaml_error_on_the_body_field() -> None:
    form = CampaignTemplateAdminForm(
        data={"code": "bad", "name": "坏模板", "body": "name: x\nstages: [", "is_active": True}
    )
    assert not form.is_valid()
    assert "YAML 格式错误" in form.errors["body"][0]


def test_admin_add_page_refuses_bad_yaml(world) -> None:
    client = world.client("admin")
    response = client.post(
        "/admin/campaigns/campaigntemplate/add/",
        {"code": "bad", "name": "坏模板", "body": "name: x\nstages: []", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "至少要有一个阶段" in response.content.decode()
    assert not CampaignTemplate.objects.filter(code="bad").exists()
    response = client.post(
        "/admin/campaigns/campaigntemplate/add/", {"code": "ok", "name": "好模板", "body": GOOD, "is_active": "on"}
    )
    assert response.status_code == 302
    assert CampaignTemplate.objects.filter(code="ok").exists()
