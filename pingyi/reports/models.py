"""Kept counts for the roll-up: a province has tens of thousands of branches, so its pages read these rows
instead of asking every app's provider on every view. They are refreshed from the same providers the
branch pages use (tallies.py), marked dirty by any audited write under the branch, and show their age."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemTally(models.Model):
    """A work item's counts at the time of `computed_at`. The timing states (not yet due, overdue) are not
    stored: they follow from the item's stage and deadline when read, so a count never goes stale with the date."""

    work_item = models.OneToOneField("campaigns.WorkItem", on_delete=models.CASCADE, related_name="tally")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    tracked = models.BooleanField(default=False)
    subjects = models.PositiveIntegerField(default=0)  # everyone it is about (1 for a node-wide item)
    done = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)  # started and not done
    excused = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("工作事项统计")
        verbose_name_plural = _("工作事项统计")

    def __str__(self) -> str:
        return f"{self.work_item_id}: {self.done}/{self.subjects}"


class BranchTally(models.Model):
    """One row per branch: its members, its latest open campaign and where that stands."""

    org = models.OneToOneField("org.OrgUnit", on_delete=models.CASCADE, related_name="tally")
    members = models.PositiveIntegerField(default=0)
    campaign = models.ForeignKey("campaigns.Campaign", null=True, on_delete=models.SET_NULL, related_name="+")
    stage_order = models.PositiveSmallIntegerField(null=True)
    stage_name = models.CharField(max_length=60, blank=True)
    stage_ends_on = models.DateField(null=True)
    required_expected = models.PositiveIntegerField(default=0)  # person-items of the open stage's required items
    required_done = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)  # person-items past their deadline, as of `counted_on`
    overdue_items = models.PositiveIntegerField(default=0)
    excused = models.PositiveIntegerField(default=0)
    voted = models.PositiveIntegerField(default=0)  # evaluation participation (evaluation.participated)
    voters = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)  # the committee's opinions formed (evaluation.opinion_formed)
    to_decide = models.PositiveIntegerField(default=0)
    flagged_writings = models.PositiveIntegerField(default=0)
    open_rectification = models.PositiveIntegerField(default=0)
    overdue_rectification = models.PositiveIntegerField(default=0)
    untraced_opinions = models.PositiveIntegerField(default=0)
    lookback_checked = models.PositiveIntegerField(default=0)
    lookback_total = models.PositiveIntegerField(default=0)
    last_review_at = models.DateTimeField(null=True)
    last_review_rating = models.CharField(max_length=6, blank=True)
    counted_on = models.DateField(null=True)  # the day the date-dependent counts (overdue) refer to
    computed_at = models.DateTimeField(null=True)
    dirty_since = models.DateTimeField(null=True)  # something changed after computed_at

    class Meta:
        verbose_name = _("支部进展统计")
        verbose_name_plural = _("支部进展统计")
        indexes = [
            models.Index(fields=["-overdue"], name="branch_tally_overdue"),
            # the few rows a page counts live, found without reading the subtree's other rows
            models.Index(fields=["org"], condition=models.Q(dirty_since__isnull=False), name="branch_tally_dirty"),
            models.Index(fields=["org"], condition=models.Q(members=0), name="branch_tally_no_members"),
            models.Index(fields=["computed_at"], name="branch_tally_computed_at"),
            models.Index(fields=["counted_on"], name="branch_tally_counted_on"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id}: {self.required_done}/{self.required_expected}"


# The BranchTally counts the roll-up adds up over a subtree.
SUMMED = (
    "members", "required_expected", "required_done", "overdue", "overdue_items", "excused", "voted", "voters",
    "decided", "to_decide", "flagged_writings", "open_rectification", "overdue_rectification", "untraced_opinions",
)  # fmt: skip
NODE_SUMS = ("branches", "without_campaign", "without_members", *SUMMED)


class NodeTally(models.Model):
    """The sums of the BranchTally rows at or under a node, so a province's page reads its own row and its
    children's instead of adding up tens of thousands of branches. Kept by tallies.py in the transaction that
    changes a branch's row (the difference old -> new, applied to every node on the branch's path); no
    dirty count or age is kept here: they change with every write and would make every writer in a province
    wait on its row (selectors count them from BranchTally's partial indexes instead)."""

    org = models.OneToOneField("org.OrgUnit", on_delete=models.CASCADE, related_name="node_tally")
    branches = models.PositiveIntegerField(default=0)  # the BranchTally rows counted in
    without_campaign = models.PositiveIntegerField(default=0)
    without_members = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    required_expected = models.PositiveIntegerField(default=0)
    required_done = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    overdue_items = models.PositiveIntegerField(default=0)
    excused = models.PositiveIntegerField(default=0)
    voted = models.PositiveIntegerField(default=0)
    voters = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    to_decide = models.PositiveIntegerField(default=0)
    flagged_writings = models.PositiveIntegerField(default=0)
    open_rectification = models.PositiveIntegerField(default=0)
    overdue_rectification = models.PositiveIntegerField(default=0)
    untraced_opinions = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("组织汇总统计")
        verbose_name_plural = _("组织汇总统计")

    def __str__(self) -> str:
        return f"{self.org_id}: {self.branches}"


class StageSummary(models.Model):
    """One saved version of a stage summary: the figures as drafted from the record at that moment and the
    secretary's own words per section. Versions are never edited; the final one is marked."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey("campaigns.Stage", on_delete=models.CASCADE, related_name="summaries")
    number = models.PositiveIntegerField(_("版本"))
    sections = models.JSONField(default=list)  # [Section.as_dict()], the record's part
    notes = models.JSONField(default=dict)  # section key -> the secretary's text
    final = models.BooleanField(_("定稿"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("阶段总结")
        verbose_name_plural = _("阶段总结")
        ordering = ["stage", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "number"], name="stage_summary_version_once"),
            models.UniqueConstraint(fields=["stage"], condition=models.Q(final=True), name="stage_summary_one_final"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} v{self.number}"
