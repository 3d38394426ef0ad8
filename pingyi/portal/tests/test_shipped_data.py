"""The rows the data migrations ship (campaign templates, activity kinds, opinion categories) come back after
`flush`, as Django's own contenttypes do: a transactional test's teardown flushes, and the tests after it must
not find them gone."""

import pytest
from django.core.management import call_command

from pingyi.campaigns.models import CampaignTemplate
from pingyi.opinions.models import Category
from pingyi.study.models import ActivityKind


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_shipped_rows_back() -> None:
    call_command("flush", interactive=False, verbosity=0)
    assert CampaignTemplate.objects.filter(code="advanced-nature-education").exists()
    assert ActivityKind.objects.filter(code="party_lecture").exists()
    assert Category.objects.filter(name="工作作风").exists()
