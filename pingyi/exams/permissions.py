"""Who may do what with the test. Banks, papers, sittings, paper answer sheets and grading: `manage_exams`
(secretary, office) on the node. A member sits their own sheet and sees their own result; the committee and
the supervisor read the results and the analysis (`view_org`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from pingyi.campaigns.models import Campaign
from pingyi.campaigns.permissions import get_campaign_for_user
from pingyi.org.models import OrgUnit, Person, person_of
from pingyi.org.permissions import Cap, can, require

from .models import Answer, AnswerSheet, Paper, QuestionBank, Sitting


def may_manage(user: Any, org: OrgUnit) -> bool:
    return can(user, Cap.MANAGE_EXAMS, org)


def may_read_results(user: Any, org: OrgUnit) -> bool:
    return can(user, Cap.MANAGE_EXAMS, org) or can(user, Cap.VIEW_ORG, org)


def get_bank_for_user(user: Any, bank_id: int) -> QuestionBank:
    bank = get_object_or_404(QuestionBank.objects.select_related("org"), pk=bank_id)
    require(user, Cap.MANAGE_EXAMS, bank.org)
    return bank


def get_paper_for_user(user: Any, paper_id: int, cap: Cap = Cap.MANAGE_EXAMS) -> Paper:
    paper = get_object_or_404(Paper.objects.select_related("org", "bank"), pk=paper_id)
    require(user, cap, paper.org)
    return paper


def get_sitting_for_user(user: Any, sitting_id: int, cap: Cap = Cap.MANAGE_EXAMS) -> Sitting:
    sitting = get_object_or_404(
        Sitting.objects.select_related("org", "campaign__org", "paper", "work_item__stage", "makeup_of"),
        pk=sitting_id,
    )
    require(user, cap, sitting.org)
    return sitting


def get_campaign_to_sit(user: Any, campaign_id: int) -> tuple[Campaign, Person | None]:
    campaign = get_campaign_for_user(user, campaign_id, Cap.VIEW_CAMPAIGN)
    person = person_of(user, member_only=True)
    return campaign, person if person and person.org.is_within(campaign.org) else None


def get_own_sitting(user: Any, sitting_id: int) -> tuple[Sitting, Person]:
    """A sitting the user may start: they are a member of its branch (the seat list is the service's to check).
    Those who see the campaign but are no member of the branch (its officers, the administrator) get 403."""
    sitting = get_sitting_for_user(user, sitting_id, Cap.VIEW_CAMPAIGN)
    person = person_of(user, member_only=True)
    if person is None or not person.org.is_within(sitting.org):
        raise PermissionDenied
    return sitting, person


def get_sheet_for_user(user: Any, sheet_id: int) -> AnswerSheet:
    """The member's own sheet, or any sheet of the node for those who may read results; 404 for others."""
    sheet = get_object_or_404(
        AnswerSheet.objects.select_related("sitting__paper", "sitting__org", "sitting__makeup_of", "person"),
        pk=sheet_id,
    )
    if sheet.person.user_id and sheet.person.user_id == getattr(user, "pk", None):
        return sheet
    require(user, Cap.VIEW_ORG, sheet.sitting.org)
    if not may_read_results(user, sheet.sitting.org):
        raise Http404
    return sheet


def is_own(user: Any, sheet: AnswerSheet) -> bool:
    return bool(sheet.person.user_id) and sheet.person.user_id == getattr(user, "pk", None)


def get_sheet_to_answer(user: Any, sheet_id: int) -> AnswerSheet:
    """Only the member answers their sheet: 404 for everyone else, the secretary included."""
    sheet = get_object_or_404(AnswerSheet.objects.select_related("sitting__org", "person"), pk=sheet_id)
    if not is_own(user, sheet):
        raise Http404
    return sheet


def get_sheet_to_manage(user: Any, sheet_id: int) -> AnswerSheet:
    sheet = get_object_or_404(
        AnswerSheet.objects.select_related("sitting__org", "sitting__paper", "person"), pk=sheet_id
    )
    require(user, Cap.MANAGE_EXAMS, sheet.sitting.org)
    return sheet


def get_answer_to_grade(user: Any, answer_id: int) -> Answer:
    answer = get_object_or_404(Answer.objects.select_related("sheet__sitting__org", "question"), pk=answer_id)
    require(user, Cap.MANAGE_EXAMS, answer.sheet.sitting.org)
    return answer


def get_person_in(sitting: Sitting, person_id: int) -> Person:
    return get_object_or_404(Person.objects.members().in_subtree(sitting.org), pk=person_id)
