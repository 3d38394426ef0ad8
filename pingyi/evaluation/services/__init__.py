"""The only place that writes evaluation rounds, votes, paper batches, decisions and notices.

Votes follow docs/adr/0004-anonymous-ballots.md, and all of the ballot code is in ballots.py: the
participation (or the used code) and the counter update share one transaction under the round's row
lock; the counters are touched as a whole; the audit entry says that someone voted, never what.
Callers import from here: `from pingyi.evaluation import services`.
"""

from .ballots import AlreadyVoted, ballot_cells, cast_public_vote, cast_vote, check_public_code, issue_public_codes
from .decisions import decide, decide_remaining, top_grade_limit
from .notices import publish_notice
from .paper import EntryResult, create_batch, enter_batch, mark_paper_voted
from .rounds import (
    TERM_DEFAULTS,
    TERM_FIELDS,
    BelowTarget,
    close_round,
    create_round,
    decide_exclusion,
    open_round,
    request_exclusion,
    save_self_assessment,
    save_self_assessment_draft,
    update_terms,
)

__all__ = [
    "TERM_DEFAULTS",
    "TERM_FIELDS",
    "AlreadyVoted",
    "BelowTarget",
    "EntryResult",
    "ballot_cells",
    "cast_public_vote",
    "cast_vote",
    "check_public_code",
    "close_round",
    "create_batch",
    "create_round",
    "decide",
    "decide_exclusion",
    "decide_remaining",
    "enter_batch",
    "issue_public_codes",
    "mark_paper_voted",
    "open_round",
    "publish_notice",
    "request_exclusion",
    "save_self_assessment",
    "save_self_assessment_draft",
    "top_grade_limit",
    "update_terms",
]
