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
