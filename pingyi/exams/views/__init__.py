from .banks import bank, bank_create, bank_import, home, index, question_delete, template
from .papers import analysis, paper, paper_create
from .sheets import answer, sheet, start, submit
from .sittings import campaign, enter, export, grade, grading, makeup, paper_sheet, print_sheet, sitting, sitting_create

__all__ = [
    "analysis",
    "answer",
    "bank",
    "bank_create",
    "bank_import",
    "campaign",
    "enter",
    "export",
    "grade",
    "grading",
    "home",
    "index",
    "makeup",
    "paper",
    "paper_create",
    "paper_sheet",
    "print_sheet",
    "question_delete",
    "sheet",
    "sitting",
    "sitting_create",
    "start",
    "submit",
    "template",
]
