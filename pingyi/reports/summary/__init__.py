"""Stage summaries (阶段总结) drafted from the record.

`draft(campaign, stage)` reads every app's records for the stage and returns sections of sentences whose
figures link to the records they count; where the record cannot say, the draft says 【待补充】. The
secretary adds their own words per section, saves versions and finalises one (services.py); the Word
file is written in the official layout (documents.py).
"""

from __future__ import annotations

from pingyi.campaigns.models import Campaign, Stage

from .figures import MISSING, Figure, Section, Sentence, from_dict
from .sections import build


def draft(campaign: Campaign, stage: Stage) -> list[Section]:
    return build(campaign, stage)


__all__ = ["MISSING", "Figure", "Section", "Sentence", "draft", "from_dict"]
