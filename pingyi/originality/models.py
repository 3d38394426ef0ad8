"""The corpus the checks compare against, its fingerprint index, and the reports.

The index is two plain tables so it works the same on SQLite and PostgreSQL,
persists, and is never rebuilt at start-up (docs/adr/0003):
- Fingerprint: one row per kept k-gram hash of a document, keyed (hash, document,
  position), so a lookup by hash reads one range of the primary-key index.
- FingerprintStat: per hash, how many documents (and library documents) hold it,
  which tells stock phrases and over-common hashes apart without counting postings.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pingyi.campaigns.models import Campaign
from pingyi.org.models import OrgUnit

from .conf import engine_settings

CONTEXT = 30  # characters shown either side of a copied passage


class DocumentKind(models.TextChoices):
    LIBRARY = "library", _("参考文献库")
    WRITING = "writing", _("文稿")


class CorpusDocument(models.Model):
    """A text in the corpus: a library text (the stand-in for the internet) or a member's writing."""

    kind = models.CharField(_("类型"), max_length=16, choices=DocumentKind.choices)
    # For a writing: the WritingVersion's pk. Library texts have none.
    ref = models.BigIntegerField(_("引用编号"), null=True, blank=True)
    # Versions of one writing share a family and are never each other's source.
    family = models.CharField(max_length=60, blank=True)
    org = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("组织")
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("活动")
    )
    title = models.CharField(_("标题"), max_length=200)
    source_url = models.URLField(_("来源网址"), max_length=500, blank=True)
    text = models.TextField(_("正文"))
    normalized = models.TextField(editable=False)
    content_hash = models.CharField(max_length=64, editable=False)
    chars = models.PositiveIntegerField(_("字数"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("加入时间"), auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("比对文档")
        verbose_name_plural = _("比对文档")
        ordering = ["-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "ref"], condition=models.Q(ref__isnull=False), name="originality_doc_kind_ref"
            ),
            # The same text imported twice would make its every sentence look like a stock phrase.
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=models.Q(kind="library"),
                name="originality_library_text_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Fingerprint(models.Model):
    pk = models.CompositePrimaryKey("hash", "doc_id", "pos")
    hash = models.BigIntegerField()
    # No foreign-key constraint or index: bulk loading stays fast, and a document's
    # rows are found again by recomputing its hashes (services.remove_document).
    doc = models.ForeignKey(
        CorpusDocument, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    pos = models.IntegerField()

    class Meta:
        verbose_name = _("指纹")
        verbose_name_plural = _("指纹")

    def __str__(self) -> str:
        return f"{self.hash}@{self.doc_id}:{self.pos}"


class FingerprintStat(models.Model):
    hash = models.BigIntegerField(primary_key=True)
    docs = models.IntegerField(default=0)
    library_docs = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("指纹频次")
        verbose_name_plural = _("指纹频次")

    def __str__(self) -> str:
        return f"{self.hash}: {self.docs}"


class Verdict(models.TextChoices):
    GREEN = "green", _("通过")
    YELLOW = "yellow", _("疑似")
    RED = "red", _("复制比超标")


class Report(models.Model):
    """The outcome of one check of one document. A re-check adds a new report; the newest counts."""

    document = models.ForeignKey(
        CorpusDocument, on_delete=models.CASCADE, related_name="reports", verbose_name=_("文档")
    )
    created_at = models.DateTimeField(_("检测时间"), auto_now_add=True)
    total_chars = models.PositiveIntegerField(_("总字数"))
    copied_chars = models.PositiveIntegerField(_("复制字数"))
    copied_percent = models.FloatField(_("总复制比"))
    unquoted_percent = models.FloatField(_("去除引用复制比"))
    stock_chars = models.PositiveIntegerField(_("常用语字数"), default=0)
    # Characters repeating what the same text said before (engine.self_repetition): padding, not copying.
    repeated_chars = models.PositiveIntegerField(_("自我重复字数"), default=0)
    repeated_percent = models.FloatField(_("自我重复比"), default=0.0)
    verdict = models.CharField(_("结论"), max_length=8, choices=Verdict.choices)
    threshold = models.FloatField(_("阈值"))
    library_size = models.PositiveIntegerField(_("参考文献库篇数"), default=0)
    # [{"doc", "title", "url", "kind", "chars", "percent"}], largest share first.
    sources = models.JSONField(default=list)
    # [{"doc", "q_start", "q_end", "s_start", "s_end", "chars", "quoted", "source_text"}], in text order.
    passages = models.JSONField(default=list)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("检测报告")
        verbose_name_plural = _("检测报告")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["document", "-created_at"], name="originality_report_latest")]

    def __str__(self) -> str:
        return f"{self.document} {self.copied_percent}%"

    @property
    def padded(self) -> bool:
        """Whether so much of the text repeats itself that a reviewer must be told, whatever the 复制比."""
        return self.repeated_percent >= engine_settings().repeat_threshold

    @property
    def passage_rows(self) -> list[dict]:
        """Each copied passage with a little context, beside its source (plain strings: templates escape them)."""
        text = self.document.text
        by_doc = {s["doc"]: s for s in self.sources}
        rows = []
        for number, p in enumerate(self.passages, start=1):
            start, end = p["q_start"], p["q_end"]
            ours, theirs = _compared(text[start:end], p["source"]["text"])
            rows.append(
                {
                    "number": number,
                    "doc": p["doc"],
                    "before": text[max(0, start - CONTEXT) : start],
                    "pieces": ours,
                    "after": text[end : end + CONTEXT],
                    "chars": p["chars"],
                    "quoted": p["quoted"],
                    "source": p["source"],
                    "source_pieces": theirs,
                    "source_info": by_doc.get(p["doc"], {}),
                }
            )
        return rows


def _compared(ours: str, theirs: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both sides of a passage cut into (piece, identical?) so the words a copier changed stand out."""
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for tag, a, b, c, d in SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes():
        if a < b:
            left.append((ours[a:b], tag == "equal"))
        if c < d:
            right.append((theirs[c:d], tag == "equal"))
    return left, right


class LibraryUpload(models.Model):
    """A file handed to the import job (the job may run in a worker, so the bytes live in the database)."""

    filename = models.CharField(_("文件名"), max_length=255)
    data = models.BinaryField()
    title = models.CharField(_("标题"), max_length=200, blank=True)
    source_url = models.URLField(_("来源网址"), max_length=500, blank=True)
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("文献导入")
        verbose_name_plural = _("文献导入")

    def __str__(self) -> str:
        return self.filename
