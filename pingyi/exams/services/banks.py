"""Question banks and importing questions into them: all of a file, or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from pingyi.core import audit, jobs
from pingyi.org.models import OrgUnit

from ..drawing import NotEnoughQuestions, draw
from ..importers import FORMATS, ParsedQuestion, Problem, Problems, aiken, check, gift, xlsx
from ..models import Answer, Kind, Paper, Question, QuestionBank, QuestionUpload
from .papers import paper_spec, pool_of

MAX_FILE_BYTES = 5 * 1024 * 1024
BACKGROUND_FROM = 256 * 1024  # a file this large (some 1,500 questions) is imported by a job, with progress
IMPORT_JOB = "exams.import_questions"


@transaction.atomic
def create_bank(*, org: OrgUnit, name: str, by: Any, is_demo: bool = False) -> QuestionBank:
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写题库名称。"))
    if QuestionBank.objects.filter(org=org, name=name).exists():
        raise ValidationError(_("本组织已有名为“%(name)s”的题库。") % {"name": name})
    bank = QuestionBank.objects.create(org=org, name=name, is_demo=is_demo)
    audit.record(actor=by, action="exams.bank_created", org=org, target=bank, data={"name": name})
    return bank


@transaction.atomic
def delete_question(*, question: Question, by: Any) -> None:
    """Take a question out of its bank: a typo is mended by importing the corrected question and deleting this
    one (questions are not edited in place, ADR 0015). Refused while an answer sheet holds it (its answers name
    it) or when a paper of the bank could not draw its questions without it."""
    QuestionBank.objects.select_for_update().filter(pk=question.bank_id).first()  # one change to a bank at a time
    if Answer.objects.filter(question_id=question.pk).exists():
        raise ValidationError(_("这道题已经抽进了答卷，不能删除：答卷里的作答要对应原题。"))
    without = tuple(q for q in pool_of(question.bank_id) if q.id != question.pk)  # read once for every paper
    for paper in Paper.objects.filter(bank_id=question.bank_id).prefetch_related("rules").order_by("pk"):
        try:
            draw(paper_spec(paper, pool=without), 0)
        except NotEnoughQuestions as exc:
            message = _(
                "试卷“%(paper)s”要抽 %(count)d 道%(kind)s，删除这道后题库里只剩 %(n)d 道："
                "请先导入改好的题，再删除这道。"
            )
            label = Kind(exc.rule.kind).label
            raise ValidationError(
                message % {"paper": paper.title, "count": exc.rule.count, "kind": label, "n": exc.available}
            ) from exc
    text, kind = question.text, question.kind
    try:
        question.delete()
    except ProtectedError as exc:  # a sheet drew it since the check above
        raise ValidationError(_("这道题已经抽进了答卷，不能删除：答卷里的作答要对应原题。")) from exc
    audit.record(
        actor=by, action="exams.question_deleted", org=question.bank.org, target=question.bank,
        data={"kind": kind, "text": text[:80]},
    )  # fmt: skip


def format_of(filename: str, data: bytes) -> str:
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith(".gift"):
        return "gift"
    return "gift" if b"{" in data else "aiken"


def parse_file(data: bytes, fmt: str) -> tuple[list[ParsedQuestion], list[Problem]]:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    if len(data) > MAX_FILE_BYTES:
        return [], [Problem(1, _("文件超过 5 MB，请分成几个文件导入"))]
    if fmt == "xlsx":
        return xlsx.parse(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            return [], [Problem(1, _("文件不是 UTF-8 或 GBK 编码的文本"))]
    return (gift if fmt == "gift" else aiken).parse(text)


@dataclass(frozen=True)
class Imported:
    bank: QuestionBank
    created: int


@transaction.atomic
def import_questions(
    *,
    bank: QuestionBank,
    data: bytes,
    filename: str,
    by: Any,
    fmt: str = "",
    is_demo: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Imported:
    """Every question of the file, or none: any problem raises Problems naming each bad line and why."""
    fmt = fmt or format_of(filename, data)
    questions, problems = parse_file(data, fmt)
    QuestionBank.objects.select_for_update().filter(pk=bank.pk).first()  # two imports at once see each other
    existing = set(Question.objects.filter(bank=bank).values_list("fingerprint", flat=True))
    problems += check(questions, existing)
    if problems:
        raise Problems(problems)
    if not questions:
        raise Problems([Problem(1, _("文件里没有找到试题"))])
    rows = [_row(bank, q, is_demo) for q in questions]
    for start in range(0, len(rows), 500):
        Question.objects.bulk_create(rows[start : start + 500])
        if progress:
            progress(min(start + 500, len(rows)), len(rows))
    audit.record(
        actor=by,
        action="exams.questions_imported",
        org=bank.org,
        target=bank,
        data={"file": filename[:100], "format": fmt, "questions": len(rows)},
    )
    return Imported(bank=bank, created=len(rows))


def _row(bank: QuestionBank, q: ParsedQuestion, is_demo: bool) -> Question:
    return Question(
        bank=bank,
        kind=q.kind,
        text=q.text.strip(),
        options=[{"id": i, "text": text.strip(), "correct": ok} for i, (text, ok) in enumerate(q.options, start=1)],
        accepted=[a.strip() for a in q.accepted if a.strip()],
        reference=q.reference.strip(),
        tags=q.tags,
        difficulty=q.difficulty,
        fingerprint=q.fingerprint,
        is_demo=is_demo,
    )


@transaction.atomic
def queue_import(*, bank: QuestionBank, data: bytes, filename: str, by: Any, fmt: str = "") -> QuestionUpload:
    """Keep the file and start the job that imports it (after this transaction commits)."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(_("文件超过 5 MB，请分成几个文件导入"))
    upload = QuestionUpload.objects.create(
        bank=bank, filename=filename[:200], fmt=fmt, content=data, created_by=audit.user_of(by)
    )
    upload.job = jobs.enqueue(IMPORT_JOB, by=by, org=bank.org, upload_id=upload.pk)
    upload.save(update_fields=["job"])
    return upload


def run_upload(*, upload_id: int, progress: Callable[[int, int], None] | None = None) -> QuestionUpload:
    """The job's work: the whole file or nothing; the problems, or the count, are kept on the upload."""
    upload = QuestionUpload.objects.select_related("bank__org", "created_by").get(pk=upload_id)
    if upload.created is not None or upload.problems:
        return upload  # a job run again after it finished
    try:
        result = import_questions(
            bank=upload.bank, data=bytes(upload.content), filename=upload.filename, fmt=upload.fmt,
            by=upload.created_by, progress=progress,
        )  # fmt: skip
    except Problems as exc:
        upload.problems = [str(p) for p in exc.problems[:500]]
    else:
        upload.created = result.created
    upload.content = b""
    upload.save(update_fields=["problems", "created", "content"])
    return upload
