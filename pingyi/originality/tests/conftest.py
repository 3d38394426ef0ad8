from typing import Any

import pytest

from conftest import World
from pingyi.campaigns.models import Campaign
from pingyi.originality import services
from pingyi.originality.library import LibraryItem
from pingyi.originality.models import CorpusDocument

from .texts import ARTICLE, OTHER_ARTICLES, STOCK


def library_items() -> list[LibraryItem]:
    items = [LibraryItem("article.txt", "窗口服务与先进性", "https://example.org/article", ARTICLE)]
    items += [LibraryItem(f"other{i}.txt", f"劳动保障工作{i}", "", text) for i, text in enumerate(OTHER_ARTICLES)]
    # Stock phrases recur across the library, as slogans do in real articles.
    items += [
        LibraryItem(
            f"stock{i}.txt", f"口号{i}", "", "。".join(STOCK[(i + j) % len(STOCK)] for j in range(4)) + f"。第{i}篇"
        )
        for i in range(6)
    ]
    return items


@pytest.fixture
def library(world: World) -> CorpusDocument:
    """The library with the article; returns the article's document."""
    services.import_library(items=library_items(), org=world.orgs["branch"], by=world.users["secretary"])
    return CorpusDocument.objects.get(title="窗口服务与先进性")


def submit(
    world: World, campaign: Campaign, ref: int, text: str, *, org: str = "branch", persona: str = "member"
) -> Any:
    """What the writings app does on submit: check_text; the job runs once the transaction commits."""
    return services.check_text(
        kind="writing",
        ref=ref,
        org=world.orgs[org],
        campaign=campaign,
        title=f"学习心得{ref}",
        text=text,
        by=world.users[persona],
    )
