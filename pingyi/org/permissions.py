"""Who may do what, scoped to the organisation tree. The one place for these rules.

A role granted on a node reaches its whole subtree. A user with no role
covering a node does not learn it exists (404); a user who can see it but
lacks the capability gets 403. docs/permissions.md shows the whole matrix.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import OrgUnit, OrgUnitQuerySet, Person, Role, RoleGrant, person_of, under


class Cap(StrEnum):
    VIEW_ORG = "view_org"  # tree, people lists, campaign progress
    MANAGE_PEOPLE = "manage_people"  # add/edit people, import rosters
    MANAGE_TREE = "manage_tree"  # add, rename, move nodes
    SEE_PRIVATE = "see_private"  # unmasked ID numbers and phones
    VIEW_CAMPAIGN = "view_campaign"
    MANAGE_CAMPAIGN = "manage_campaign"  # open campaigns, tick look-back items
    SIGN_OFF_STAGE = "sign_off_stage"
    REVIEW_STAGE = "review_stage"  # the supervision group's comment and rating
    MANAGE_ROLES = "manage_roles"  # grant and revoke roles on nodes in the subtree
    # Writings and originality (issue 4)
    REVIEW_WRITINGS = "review_writings"  # read, return and accept members' writings; see 复制比 reports
    MANAGE_LIBRARY = "manage_library"  # import the reference library, re-check writings
    # Opinions, talks, life meetings (issue 6)
    MANAGE_OPINIONS = "manage_opinions"  # run opinion rounds, enter, categorise, merge and answer opinions
    RECORD_TALKS = "record_talks"  # record heart-to-heart talks, see the coverage matrix
    READ_TALK_SUMMARIES = "read_talk_summaries"  # read every talk's confidential summary (participants read their own)
    MANAGE_MEETINGS = "manage_meetings"  # plan and record life meetings, export minutes
    # Evaluation and rectification (issue 5)
    MANAGE_EVALUATION = "manage_evaluation"  # set up, open and close rounds; print public codes; feedback; notices
    DECIDE_EVALUATION = "decide_evaluation"  # the committee's opinion and grade per member
    ENTER_BALLOTS = "enter_ballots"  # type in paper ballots (double entry)
    APPROVE_EXCLUSION = "approve_exclusion"  # the level above approves exclusions from the participation count
    MANAGE_RECTIFICATION = "manage_rectification"  # create, assign and verify rectification items; four checks
    # Study, outreach and the test (issues 13 and 14)
    MANAGE_STUDY = "manage_study"  # schedule activities, take registers, record make-up study, study plans
    MANAGE_OUTREACH = "manage_outreach"  # contact log for members away or retired, liaison points, good deeds
    MANAGE_EXAMS = "manage_exams"  # question banks, papers, sittings, paper answer sheets, grading, results


CAPABILITIES: dict[Cap, frozenset[Role]] = {
    Cap.VIEW_ORG: frozenset({Role.SECRETARY, Role.COMMITTEE, Role.OFFICE, Role.SUPERVISOR}),
    Cap.MANAGE_PEOPLE: frozenset({Role.SECRETARY, Role.OFFICE}),
    Cap.MANAGE_TREE: frozenset({Role.SECRETARY}),
    Cap.SEE_PRIVATE: frozenset({Role.SECRETARY, Role.OFFICE}),
    Cap.VIEW_CAMPAIGN: frozenset({Role.SECRETARY, Role.COMMITTEE, Role.OFFICE, Role.SUPERVISOR, Role.MEMBER}),
    Cap.MANAGE_CAMPAIGN: frozenset({Role.SECRETARY, Role.OFFICE}),
    Cap.SIGN_OFF_STAGE: frozenset({Role.SECRETARY}),
    Cap.REVIEW_STAGE: frozenset({Role.SUPERVISOR}),
    Cap.MANAGE_ROLES: frozenset({Role.SECRETARY}),
    Cap.REVIEW_WRITINGS: frozenset({Role.SECRETARY, Role.OFFICE, Role.SUPERVISOR}),  # office: 学习督查小组
    Cap.MANAGE_LIBRARY: frozenset({Role.SECRETARY, Role.OFFICE}),
    Cap.MANAGE_OPINIONS: frozenset({Role.SECRETARY, Role.OFFICE}),
    Cap.RECORD_TALKS: frozenset({Role.SECRETARY, Role.COMMITTEE}),
    Cap.READ_TALK_SUMMARIES: frozenset({Role.SECRETARY}),
    Cap.MANAGE_MEETINGS: frozenset({Role.SECRETARY, Role.OFFICE}),
    Cap.MANAGE_EVALUATION: frozenset({Role.SECRETARY, Role.OFFICE}),
    Cap.DECIDE_EVALUATION: frozenset({Role.SECRETARY, Role.COMMITTEE}),
    Cap.ENTER_BALLOTS: frozenset({Role.SECRETARY, Role.COMMITTEE, Role.OFFICE}),
    Cap.APPROVE_EXCLUSION: frozenset({Role.OFFICE, Role.SUPERVISOR}),
    Cap.MANAGE_RECTIFICATION: frozenset({Role.SECRETARY, Role.OFFICE}),
    Cap.MANAGE_STUDY: frozenset({Role.SECRETARY, Role.COMMITTEE, Role.OFFICE}),  # committee: often keeps the register
    Cap.MANAGE_OUTREACH: frozenset({Role.SECRETARY, Role.COMMITTEE, Role.OFFICE}),
    Cap.MANAGE_EXAMS: frozenset({Role.SECRETARY, Role.OFFICE}),
}


def grants_for(user: Any) -> list[tuple[str, Role]]:
    """(path, role) pairs the user holds, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_pingyi_grants", None)
    if cached is None:
        cached = [
            (path, Role(role)) for path, role in RoleGrant.objects.filter(user=user).values_list("org__path", "role")
        ]
        person = person_of(user, member_only=True)
        if person:
            cached.append((person.org.path, Role.MEMBER))
        user._pingyi_grants = cached
    return cached


def roles_at(user: Any, org: OrgUnit) -> set[Role]:
    return {role for path, role in grants_for(user) if org.path.startswith(path)}


def paths_with(user: Any, cap: Cap) -> set[str]:
    """Paths of the nodes where the user holds a role carrying `cap` (each reaches its subtree); no query."""
    return {path for path, role in grants_for(user) if role in CAPABILITIES[cap]}


def orgs_with(user: Any, cap: Cap) -> OrgUnitQuerySet:
    """Every node where the user has `cap`."""
    if getattr(user, "is_superuser", False):
        return OrgUnit.objects.all()
    return OrgUnit.objects.in_any_subtree(paths_with(user, cap))


def can(user: Any, cap: Cap, org: OrgUnit) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return bool(roles_at(user, org) & CAPABILITIES[cap])


def require(user: Any, cap: Cap, org: OrgUnit) -> None:
    if getattr(user, "is_superuser", False):
        return
    roles = roles_at(user, org)
    if not roles:
        raise Http404
    if not roles & CAPABILITIES[cap]:
        raise PermissionDenied


def visible_roots(user: Any) -> list[OrgUnit]:
    """The topmost nodes a user can see; for the administrator, the tree's roots."""
    if getattr(user, "is_superuser", False):
        return list(OrgUnit.objects.filter(parent__isnull=True))
    paths = sorted({path for path, _ in grants_for(user)})
    tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return list(OrgUnit.objects.filter(path__in=tops))


def get_org_for_user(user: Any, code: str, cap: Cap) -> OrgUnit:
    org = get_object_or_404(OrgUnit, code=code)
    require(user, cap, org)
    return org


def get_person_for_user(user: Any, pk: int, cap: Cap) -> Person:
    person = get_object_or_404(Person.objects.select_related("org", "group"), pk=pk)
    if person.user_id and person.user_id == getattr(user, "pk", None) and cap == Cap.VIEW_ORG:
        return person  # everyone may read their own record
    require(user, cap, person.org)
    return person


def can_manage_account(user: Any, person: Person) -> bool:
    """Whether the user may reset or disable this person's login.

    Never one's own (that is the password change page), never the administrator's,
    and a login that holds roles only if the user may manage roles on every node
    those roles sit on: resetting a password must not hand over powers beyond one's own.
    """
    account = person.user
    if account is None or getattr(user, "is_superuser", False):
        return True
    if account.pk == user.pk or account.is_superuser:
        return False
    mine = [path for path, role in grants_for(user) if role in CAPABILITIES[Cap.MANAGE_ROLES]]
    theirs = RoleGrant.objects.filter(user=account).values_list("org__path", flat=True)
    return all(any(path.startswith(root) for root in mine) for path in theirs)


def get_person_account_for_user(user: Any, pk: int) -> Person:
    """A person whose login the user may open, reset or disable (404 outside the subtree, 403 otherwise)."""
    person = get_person_for_user(user, pk, Cap.MANAGE_PEOPLE)
    if person.user_id == getattr(user, "pk", None):
        raise PermissionDenied
    if not can_manage_account(user, person):
        raise PermissionDenied
    return person


def get_grant_in(org: OrgUnit, pk: int) -> RoleGrant | None:
    """A role grant on the node or below it; None once it is gone (a repeated revoke)."""
    return RoleGrant.objects.select_related("org", "user").filter(under(org), pk=pk).first()


def may_add_root(user: Any) -> bool:
    """A new top of the tree belongs to no subtree, so only the system administrator may add one."""
    return bool(getattr(user, "is_superuser", False))
