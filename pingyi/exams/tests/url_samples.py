from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import add_member, open_campaign
from pingyi.exams import services
from pingyi.exams.models import Kind

from .conftest import make_bank, make_paper, make_sitting

PROVIDES = {
    "bank_id", "paper_id", "sitting_id", "sheet_id", "answer_id", "question_id", "exams:bank_create",
    "exams:bank_import", "exams:paper_create", "exams:sitting_create", "exams:makeup", "exams:paper_sheet",
    "exams:answer", "exams:grade",
}  # fmt: skip


def samples(world: Any) -> dict[str, Any]:
    """A bank and paper of the branch; a sitting open now; the member's sheet in progress; another member's
    submitted sheet whose short answer awaits grading; a paper answer sheet of a third member, not entered."""
    campaign = open_campaign(world)
    bank = make_bank(world, name="样本题库")
    paper = make_paper(world, bank)
    sitting = make_sitting(world, campaign, paper)
    sheet = services.start_sheet(sitting=sitting, person=world.people["member"], by=world.users["member"])
    graded = add_member(world, "交卷样本")
    done = services.start_sheet(sitting=sitting, person=graded, by=None)
    short = done.answers.get(question__kind=Kind.SHORT)
    services.save_answers(sheet=done, responses={short.position: "警告、严重警告"})
    services.submit_sheet(sheet=done, by=None)
    on_paper = services.issue_paper_sheet(sitting=sitting, person=add_member(world, "纸质样本"), by=None)
    absent = add_member(world, "缺考样本")
    now = timezone.localtime()
    window = {
        "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "time_limit": 30,
    }
    first = sheet.answers.get(position=1)
    services.import_questions(
        bank=bank, data="样本备用题：党员要按期交纳党费。{T}\n".encode(), filename="q.gift", by=None
    )
    return {
        "bank_id": bank.pk,
        "paper_id": paper.pk,
        "sitting_id": sitting.pk,
        "sheet_id": sheet.pk,
        "sheet_id@paper": on_paper.pk,
        "answer_id": short.pk,
        "question_id": bank.questions.get(text__startswith="样本备用题").pk,
        "exams:bank_create": {"name": "新题库"},
        "exams:bank_import": {
            "file": SimpleUploadedFile("q.gift", "新题：党章是党的根本大法。{T}\n".encode()),
            "fmt": "",
        },
        "exams:paper_create": {
            "title": "样本试卷",
            "code": "sample-paper",
            "bank": bank.pk,
            "pass_mark": 1,
            "per_member": "on",
            "rule-TOTAL_FORMS": 1,
            "rule-INITIAL_FORMS": 0,
            "rule-0-kind": Kind.TRUE_FALSE,
            "rule-0-count": 2,
            "rule-0-points": 1,
            "rule-0-tag": "",
        },
        "exams:sitting_create": {"paper": paper.pk, "title": "第二场", **window},
        "exams:makeup": {"person": [absent.pk], f"reason-{absent.pk}": "出差在外", **window},
        "exams:paper_sheet": {"person": absent.pk},
        "exams:answer": {"position": 1, "choice": [first.option_order[0]]},
        "exams:grade": {"points": 1, "comment": "要点不全"},
    }
