"""Notices (issue 11 item 12): a second notice at a scope that has one replaces it, with a reason, and both stay
readable; nothing typed is discarded. Public rating slips need members to rate (item 13)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import add_members
from pingyi.core.models import AuditEntry
from pingyi.evaluation import services
from pingyi.evaluation.models import Notice, PublicCode

from .factories import close, new_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(world: Any) -> Any:
    add_members(world, 5)
    round = close(new_round(world), world.users["secretary"])
    for member in round.members.all():
        services.decide(member=member, grade=1, opinion="合格", reason="一贯", by=world.users["committee"])
    return round


def _create(round: Any) -> str:
    return reverse("evaluation:notice_create", kwargs={"round_id": round.pk})


def _once(client: Any, round: Any) -> str:
    return re.search(r'name="once" value="([0-9a-f]{32})"', client.get(_create(round)).content.decode()).group(1)  # type: ignore[union-attr]


def test_a_second_notice_at_a_scope_needs_a_reason_and_keeps_what_was_typed(world: Any, decided: Any) -> None:
    client = world.client("secretary")
    first = client.post(_create(decided), {"scope": "branch", "title": "", "once": _once(client, decided)})
    assert first.status_code == 302
    old = Notice.objects.get()
    typed = {"scope": "branch", "title": "关于2025年度民主评议党员情况的通报（更正）", "remarks": "补充了群众参评情况"}
    refused = client.post(_create(decided), {**typed, "once": _once(client, decided)})
    body = refused.content.decode()
    assert refused.status_code == 400 and "请写明再次发布的原因" in body
    assert typed["title"] in body and "补充了群众参评情况</textarea>" in body  # nothing typed is lost
    assert "通报已发布" not in body and Notice.objects.count() == 1
    done = client.post(_create(decided), {**typed, "correction": "原标题年份有误", "once": _once(client, decided)})
    new = Notice.objects.get(successor__isnull=True)
    assert done.status_code == 302 and done["Location"] == reverse("evaluation:notice", kwargs={"notice_id": new.pk})
    assert new.title == typed["title"] and new.supersedes == old and new.correction == "原标题年份有误"
    entry = AuditEntry.objects.filter(action="evaluation.notice_publish").latest("pk")
    assert entry.data == {"scope": "branch", "replaces": old.pk, "reason": "原标题年份有误"}


def test_both_notices_stay_readable_and_say_how_they_relate(world: Any, decided: Any) -> None:
    by = world.users["secretary"]
    old = services.publish_notice(round=decided, scope="branch", title="旧标题", remarks="", by=by)
    new = services.publish_notice(
        round=decided, scope="branch", title="新标题", remarks="", correction="更正标题", by=by
    )
    member = world.client("member")
    old_page = member.get(reverse("evaluation:notice", kwargs={"notice_id": old.pk})).content.decode()
    assert 'id="replaced"' in old_page and "新标题" in old_page and "更正标题" in old_page
    new_page = member.get(reverse("evaluation:notice", kwargs={"notice_id": new.pk})).content.decode()
    assert 'id="replaces"' in new_page and "原因：更正标题" in new_page
    round_page = member.get(reverse("evaluation:round", kwargs={"round_id": decided.pk})).content.decode()
    assert "已被替代" in round_page


def test_each_scope_and_each_replacement_downloads_under_its_own_name(world: Any, decided: Any) -> None:
    by = world.users["secretary"]
    branch = services.publish_notice(round=decided, scope="branch", title="通报", remarks="", by=by)
    public = services.publish_notice(round=decided, scope="public", title="通报", remarks="", by=by)
    again = services.publish_notice(round=decided, scope="branch", title="通报", remarks="", correction="更正", by=by)
    client = world.client("secretary")
    names = {
        client.get(reverse("evaluation:notice_docx", kwargs={"notice_id": n.pk}))["Content-Disposition"]
        for n in (branch, public, again)
    }
    assert len(names) == 3


def test_a_double_click_publishes_once(world: Any, decided: Any) -> None:
    client = world.client("secretary")
    key = _once(client, decided)
    first = client.post(_create(decided), {"scope": "public", "title": "", "once": key})
    second = client.post(_create(decided), {"scope": "public", "title": "", "once": key})
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Notice.objects.count() == 1


def test_a_reason_is_not_asked_at_a_scope_without_a_notice(world: Any, decided: Any) -> None:
    by = world.users["secretary"]
    services.publish_notice(round=decided, scope="branch", title="", remarks="", by=by)
    notice = services.publish_notice(round=decided, scope="bureau", title="", remarks="", correction="多余的", by=by)
    assert notice.supersedes is None and notice.correction == ""
    with pytest.raises(ValidationError, match="请选择通报范围"):
        services.publish_notice(round=decided, scope="everyone", title="", remarks="", by=by)


def test_slips_cannot_be_printed_for_a_round_with_no_members(world: Any) -> None:
    from pingyi.org.models import Person

    Person.objects.filter(pk=world.people["member"].pk).update(org=world.orgs["other_branch"])  # the branch is empty
    round = new_round(world, opened=False)
    assert not round.members.exists()
    with pytest.raises(ValidationError, match="不足 2 人"):
        services.issue_public_codes(round=round, count=5, by=world.users["secretary"])
    client = world.client("secretary")
    response = client.post(reverse("evaluation:codes", kwargs={"round_id": round.pk}), {"count": 5})
    assert response.status_code == 302 and not PublicCode.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "不足 2 人" in page and 'id="no-slips"' in page
