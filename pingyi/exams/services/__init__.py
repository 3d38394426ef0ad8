"""The only place that writes question banks, papers, sittings and answer sheets (docs/apps.md)."""

from .answering import (
    Saved,
    Submitted,
    enter_paper_answers,
    issue_paper_sheet,
    save_answer,
    save_answers,
    start_sheet,
    submit_due_sheets,
    submit_sheet,
)
from .banks import Imported, create_bank, delete_question, import_questions, parse_file, queue_import, run_upload
from .marking import grade_sheets, grade_short_answer
from .papers import RuleInput, create_paper, paper_spec
from .sittings import create_makeup, create_sitting

__all__ = [
    "Imported",
    "RuleInput",
    "Saved",
    "Submitted",
    "create_bank",
    "create_makeup",
    "create_paper",
    "create_sitting",
    "delete_question",
    "enter_paper_answers",
    "grade_sheets",
    "grade_short_answer",
    "import_questions",
    "issue_paper_sheet",
    "paper_spec",
    "parse_file",
    "queue_import",
    "run_upload",
    "save_answer",
    "save_answers",
    "start_sheet",
    "submit_due_sheets",
    "submit_sheet",
]
