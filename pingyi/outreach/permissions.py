"""Who may see and record outreach: the branch's readers (`view_org`) see it, `manage_outreach` records it
(secretary, committee, office); a member reads the study plan of their own branch and confirms it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from pingyi.campaigns.models import Campaign, Stage
from pingyi.campaigns.permissions import get_campaign_for_user
from pingyi.campaigns.selectors import member_of_campaign
from pingyi.org.models import OrgUnit, Person, person_of
from pingyi.org.permissions import Cap, get_org_for_user, get_person_for_user, require

from .models import DeedPhoto, Handout, LiaisonPoint, MaterialFile, StudyPlan


def get_branch_for_user(user: Any, org_code: str, cap: Cap = Cap.VIEW_ORG) -> OrgUnit:
    return get_org_for_user(user, org_code, cap)


def get_campaign_for_reader(user: Any, campaign_id: int) -> Campaign:
    return get_campaign_for_user(user, campaign_id, Cap.VIEW_CAMPAIGN)


def get_stage_for_user(user: Any, campaign_id: int, stage_order: int) -> tuple[Campaign, Stage]:
    campaign = get_campaign_for_reader(user, campaign_id)
    return campaign, get_object_or_404(campaign.stages, order=stage_order)


def get_plan_reader(user: Any, plan_id: int) -> tuple[StudyPlan, Person]:
    """The plan and the viewer's member record: only a member of the plan's branch confirms it."""
    plan = get_object_or_404(StudyPlan.objects.select_related("campaign__org", "stage"), pk=plan_id)
    get_campaign_for_user(user, plan.campaign_id, Cap.VIEW_CAMPAIGN)  # 404 outside the subtree
    me = member_of_campaign(user, plan.campaign)
    if me is None:
        raise PermissionDenied
    return plan, me


def get_contact_person_for_user(user: Any, person_id: int) -> Person:
    return get_person_for_user(user, person_id, Cap.VIEW_ORG)


def get_point_for_user(user: Any, point_id: int, cap: Cap) -> LiaisonPoint:
    point = get_object_or_404(LiaisonPoint.objects.select_related("org"), pk=point_id)
    require(user, cap, point.org)
    return point


def get_photo_for_user(user: Any, photo_id: int) -> DeedPhoto:
    photo = get_object_or_404(DeedPhoto.objects.select_related("deed__org"), pk=photo_id)
    require(user, Cap.VIEW_ORG, photo.deed.org)
    return photo


def get_material_file_for_user(user: Any, file_id: int) -> MaterialFile:
    """The electronic copy of a material: for the members it was handed to (printed copy received or not), and
    for those who read the branch's outreach (404 outside the tree, 403 inside it)."""
    found = get_object_or_404(MaterialFile.objects.select_related("material__org"), pk=file_id)
    me = person_of(user, member_only=True)
    if me is None or not Handout.objects.filter(material_id=found.material_id, person=me).exists():
        get_branch_for_user(user, found.material.org.code)
    return found
