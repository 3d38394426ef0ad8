"""A stage summary as filed: the official layout of the documents layer, the record's sentences and the
secretary's words under numbered headings, signed by the branch."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.core.documents import Document

from .models import StageSummary
from .summary import from_dict

NUMBERS = "一二三四五六七八九十"


def summary_document(summary: StageSummary) -> Document:
    campaign, stage = summary.campaign, summary.stage
    doc = Document(title=_("%(campaign)s%(stage)s阶段总结") % {"campaign": campaign.title, "stage": stage.name})
    for n, raw in enumerate(summary.sections):
        section = from_dict(raw)
        doc.heading(f"{NUMBERS[n % len(NUMBERS)]}、{section.title}")
        text = "".join(sentence.text for sentence in section.sentences)
        if text:
            doc.paragraph(text)
        note = summary.notes.get(section.key, "")
        for line in filter(None, (line.strip() for line in note.splitlines())):
            doc.paragraph(line)
    doc.signature(campaign.org.name, timezone.localdate(summary.at))
    return doc
