"""Who may read a report: reviewers of the writing's node, and the writing's author."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from pingyi.org.permissions import Cap, require

from .models import CorpusDocument, Report


def get_report_for_user(user: Any, pk: int) -> Report:
    report = get_object_or_404(Report.objects.select_related("document__org"), pk=pk)
    document = report.document
    if document.added_by_id is not None and document.added_by_id == user.pk:
        return report  # the author reads the same report the partial shows beside the writing
    if document.org is None:
        if not user.is_superuser:
            raise PermissionDenied
        return report
    require(user, Cap.REVIEW_WRITINGS, document.org)
    return report


def get_library_document(pk: int) -> CorpusDocument:
    """The library is shared by every node (it stands in for the internet): any library text, by pk."""
    return get_object_or_404(CorpusDocument, pk=pk, kind="library")
