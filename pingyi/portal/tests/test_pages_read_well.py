"""What every page shares: a favicon, one date style per language."""

from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from conftest import World

pytestmark = pytest.mark.django_db


def test_pages_link_a_favicon_and_the_default_one_redirects_to_it(world: World) -> None:
    html = world.client("member").get("/").content.decode()
    assert 'rel="icon" href="/static/pingyi/favicon.svg"' in html
    response = world.client("anonymous").get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/pingyi/favicon.svg"


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "2005年3月1日 2005年3月1日"), ("en", "1 March 2005 1 Mar 2005")]
)
def test_one_date_style_per_language(language: str, expected: str) -> None:
    with translation.override(language):
        shown = Template('{{ d|date }} {{ d|date:"SHORT_DATE_FORMAT" }}').render(Context({"d": date(2005, 3, 1)}))
    assert shown == expected


def test_no_template_writes_a_date_in_a_format_of_its_own() -> None:
    """Templates name a format (DATE_FORMAT, SHORT_DATE_FORMAT, …) so the language decides how dates read."""
    import re
    from pathlib import Path

    from django.conf import settings

    literal = re.compile(r"\|date:\"(?![A-Z_]+FORMAT\")[^\"]*\"")
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match}"
        for path in Path(settings.BASE_DIR, "pingyi").rglob("*.html")
        for match in literal.findall(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


@pytest.mark.parametrize(
    ("msgid", "values", "one", "many"),
    [
        ("%(n)s 项整改事项已逾期", {}, "1 rectification item overdue", "3 rectification items overdue"),
        (
            "还有 %(n)d 项整改事项未核实",
            {},
            "1 rectification item not yet verified",
            "3 rectification items not yet verified",
        ),
        ("%(n)d条意见待处理：%(round)s", {"round": "R"}, "1 opinion waiting: R", "3 opinions waiting: R"),
        (
            "%(campaign)s：%(n)d 份文稿等待你审阅。",
            {"campaign": "C"},
            "C: 1 writing awaits your review.",
            "C: 3 writings await your review.",
        ),
    ],
)
def test_counts_read_naturally_in_english(msgid: str, values: dict, one: str, many: str | None) -> None:
    from django.utils.translation import ngettext

    with translation.override("en"):
        assert ngettext(msgid, msgid, 1) % {"n": 1, **values} == one
        if many:
            assert ngettext(msgid, msgid, 3) % {"n": 3, **values} == many


def test_no_english_plural_is_the_same_for_one_and_many() -> None:
    """A plural entry whose English is the same for 1 and for many says "1 items"."""
    import re
    from pathlib import Path

    import polib
    from django.conf import settings

    counted_noun = re.compile(r"%\(\w+\)[ds] ([a-z]+ )?[a-z]+s\b")
    lazy = [
        entry.msgid
        for path in Path(settings.BASE_DIR, "pingyi").rglob("en/LC_MESSAGES/django.po")
        for entry in polib.pofile(str(path))
        if entry.msgid_plural
        and entry.msgstr_plural.get(0) == entry.msgstr_plural.get(1)
        and counted_noun.search(entry.msgstr_plural.get(0, ""))
    ]
    assert not lazy, lazy
