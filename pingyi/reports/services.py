"""The only place that writes stage summaries: each save is a new version; finalising marks one and closes it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Stage
from pingyi.core import audit

from .models import StageSummary
from .summary import draft


@transaction.atomic
def save_summary(*, stage: Stage, notes: dict[str, str], by: Any, final: bool = False) -> StageSummary:
    """Keep the figures drafted from the record now, with the secretary's words, as the next version."""
    stage = Stage.objects.select_for_update(of=("self",)).select_related("campaign__org").get(pk=stage.pk)
    if stage.status == Stage.Status.PENDING:
        raise ValidationError(_("这个阶段还没有开始，不能写总结。"))
    if StageSummary.objects.filter(stage=stage, final=True).exists():
        raise ValidationError(_("这个阶段的总结已经定稿，不能再修改。"))
    campaign = stage.campaign
    sections = [section.as_dict() for section in draft(campaign, stage)]
    keys = {section["key"] for section in sections}
    number = (StageSummary.objects.filter(stage=stage).aggregate(last=Max("number"))["last"] or 0) + 1
    summary = StageSummary.objects.create(
        campaign=campaign,
        stage=stage,
        number=number,
        sections=sections,
        notes={key: text.strip() for key, text in notes.items() if key in keys and text.strip()},
        final=final,
        by=audit.user_of(by),
    )
    action = "reports.summary_final" if final else "reports.summary_saved"
    audit.record(actor=by, action=action, org=campaign.org, target=summary, data={"version": number})
    return summary
