import pytest

from conftest import World
from pingyi.opinions import services
from pingyi.opinions.keywords import likely_duplicates, suggest_category
from pingyi.opinions.models import Category, Channel, OpinionRound

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("办理退休手续要盖五个章，跑了三趟", "办事程序和效率"),
        ("工作人员态度冷漠，门难进脸难看", "工作作风"),
        ("失业保险金和再就业培训补贴发放不及时", "政策落实"),
        ("打投诉电话没人接，反映的问题一直没有答复", "服务承诺和投诉处理"),
        ("支部的学习教育活动有点走过场", "学习教育和党建"),
    ],
)
def test_the_shipped_keyword_rules_suggest_a_category(text: str, expected: str) -> None:
    found = suggest_category(text)
    assert found is not None and found.name == expected


def test_no_keyword_no_suggestion() -> None:
    assert suggest_category("天气很好") is None


def test_rules_are_data_an_edit_changes_the_suggestion() -> None:
    assert suggest_category("电梯经常坏") is None
    Category.objects.filter(name="其他").update(keywords="电梯 停车")
    found = suggest_category("电梯经常坏")
    assert found is not None and found.name == "其他"


def test_near_identical_opinions_are_offered_as_duplicates(world: World, round_: OpinionRound) -> None:
    def add(text: str) -> int:
        return services.record_opinion(round=round_, channel=Channel.PAPER, text=text, by=None).pk

    first = add("社保窗口中午不办事，群众要跑两趟。")
    close = add("社保窗口中午不办事，群众得跑两趟！")
    add("希望多组织党员学习")
    target = round_.opinions.get(pk=first)
    assert [o.pk for o in likely_duplicates(target)] == [close]
