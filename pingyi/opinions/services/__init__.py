"""The only place that writes opinion rounds, opinions, symposia, visits, codes and letter runs.

By section: rounds.py (rounds and recording an opinion from any channel), public_form.py (the
anonymous online form and its limits), letters.py (invitees, codes and letter runs), handling.py
(categorise, answer, merge, turn into a rectification item), symposia.py (symposia, visits, follow-up).
Callers import from here: `from pingyi.opinions import services`. `Channel` is part of this API, for apps
that record opinions raised in their own records (talks, meetings).
"""

from ..models import Channel
from .handling import answer_opinion, categorise_opinion, link_rectification, merge_opinions, turn_into_rectification
from .letters import (
    LETTERS_JOB,
    InviteeEntry,
    add_invitees,
    invitee_entries,
    issue_invitee_code,
    issue_round_code,
    remove_invitee,
    revoke_round_codes,
    start_letter_run,
)
from .public_form import Refused, Submitted, round_is_open, submit_public_opinion
from .rounds import clean_text, create_round, record_opinion, update_round
from .symposia import plan_followup, record_symposium, record_visit, units_that_gave_opinions, update_symposium

__all__ = [
    "LETTERS_JOB",
    "Channel",
    "InviteeEntry",
    "Refused",
    "Submitted",
    "add_invitees",
    "answer_opinion",
    "categorise_opinion",
    "clean_text",
    "create_round",
    "invitee_entries",
    "issue_invitee_code",
    "issue_round_code",
    "link_rectification",
    "merge_opinions",
    "plan_followup",
    "record_opinion",
    "record_symposium",
    "record_visit",
    "remove_invitee",
    "revoke_round_codes",
    "round_is_open",
    "start_letter_run",
    "submit_public_opinion",
    "turn_into_rectification",
    "units_that_gave_opinions",
    "update_round",
    "update_symposium",
]
