"""Reads for the API, built on the org and campaign selectors and permissions the pages use."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, CharField, Exists, F, OuterRef, Value, When

from pingyi.campaigns.progress import ItemProgress, PersonRow
from pingyi.campaigns.selectors import CampaignPanel, StagePanel
from pingyi.exams import selectors as exams
from pingyi.org.models import OrgUnit, Role, RoleGrant, person_of, under
from pingyi.org.permissions import Cap, can, orgs_with, visible_roots
from pingyi.org.selectors import people_in
from pingyi.rectification import selectors as rectification
from pingyi.study import exports as study_exports
from pingyi.study import selectors as study
from pingyi.writings import selectors as writings


def visible_orgs(user: Any) -> Any:
    """The nodes the tree page lists, each with its parent's code (when visible) and whether it may be opened."""
    roots = visible_roots(user)
    within = under(*roots, via="parent")
    return (
        OrgUnit.objects.in_any_subtree(roots)
        .annotate(
            parent_code=Case(When(within, then=F("parent__code")), default=Value(None), output_field=CharField()),
            can_view=Exists(orgs_with(user, Cap.VIEW_ORG).filter(pk=OuterRef("pk"))),
        )
        .order_by("path")
    )


def people_for(user: Any, org: OrgUnit, *, kind: str = "", status: str = "") -> Any:
    """The node page's people list; `see_private` rides on each row so the schema masks by the page's rule."""
    see_private = can(user, Cap.SEE_PRIVATE, org)
    people = people_in(org, kind=kind)
    if status:
        people = people.filter(status=status)
    return people.annotate(see_private=Value(see_private, output_field=BooleanField()))


def role_list(user: Any) -> list[dict[str, Any]]:
    """The roles granted to the user, and the member role that follows from their own record."""
    grants = RoleGrant.objects.filter(user=user).select_related("org").order_by("org__path", "role")
    roles = [
        {"role": g.role, "role_label": str(g.get_role_display()), "org": g.org.code, "org_name": g.org.name}
        for g in grants
    ]
    person = person_of(user, member_only=True)
    if person:
        roles.append(
            {
                "role": Role.MEMBER.value,
                "role_label": str(Role.MEMBER.label),
                "org": person.org.code,
                "org_name": person.org.name,
            }
        )
    return roles


def campaign_detail(panel: CampaignPanel) -> dict[str, Any]:
    campaign = panel.campaign
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "org": campaign.org.code,
        "org_name": campaign.org.name,
        "template": campaign.template.code if campaign.template else None,
        "status": campaign.status,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "shows_names": panel.show_names,
        "stages": [_stage(sp, panel.show_names) for sp in panel.stages],
    }


def _stage(sp: StagePanel, show_names: bool) -> dict[str, Any]:
    stage = sp.stage
    return {
        "id": stage.pk,
        "order": stage.order,
        "code": stage.code,
        "name": stage.name,
        "status": stage.status,
        "starts_on": stage.starts_on,
        "ends_on": stage.ends_on,
        "days_left": sp.days_left,
        "signed_off_at": stage.signed_off_at,
        "work_items": [_work_item(p, sp.counted, show_names) for p in sp.items],
        "lookback": {
            "checked": sp.lookback_checked,
            "total": len(sp.lookback),
            "complete": sp.lookback_complete,
            "items": [
                {
                    "id": item.pk,
                    "order": item.order,
                    "text": item.text,
                    "checked": item.checked,
                    "checked_at": item.checked_at,
                    "note": item.note,
                }
                for item in sp.lookback
            ],
        },
        "reviews": [
            {
                "rating": review.rating,
                "rating_label": str(review.get_rating_display()),
                "comment": review.comment,
                "by": review.by.first_name or review.by.get_username(),
                "at": review.at,
            }
            for review in sp.reviews
        ],
    }


def _work_item(p: ItemProgress, counted: bool, show_names: bool) -> dict[str, Any]:
    """The same reading of ItemProgress as the page's _item_progress.html: no number without records."""
    item = p.item
    tracked = counted and p.tracked
    return {
        "code": item.code,
        "name": item.name,
        "hint": item.hint,
        "required": item.required,
        "audience": item.audience,
        "actors": item.actors,
        "due_on": item.due_on,
        "progress": "tracked" if tracked else ("untracked" if counted else "not_started"),
        "done": p.done if tracked else None,
        "expected": p.expected_count if tracked else None,
        "percent": p.percent if tracked else None,
        "states": p.counts if tracked else None,
        "mine": p.mine,
        "missing": [{"id": r.id, "name": r.name} for r in p.missing] if tracked and show_names else None,
        "overdue": [{"id": r.id, "name": r.name} for r in p.overdue] if tracked and show_names else None,
    }


def _writing_state(w: Any) -> dict[str, Any]:
    return {
        "id": w.pk,
        "title": w.title,
        "status": w.status,
        "submitted_at": w.submitted_at,
        "accepted_at": w.accepted_at,
    }


def writing_items(campaign: Any, user: Any, *, show_people: bool) -> list[dict[str, Any]]:
    """The writings page's panels as data: no names for a caller the page shows none to."""
    panels, _me = writings.campaign_writings(campaign, user, show_people=show_people)
    return [
        {
            "code": p.item.code,
            "name": p.item.name,
            "due_on": p.due_on,
            "mine": [_writing_state(w) for w in p.mine],
            "people": [
                {
                    "person": {"id": line.person.id, "name": line.person.name},
                    "status": line.status,
                    "writings": [_writing_state(w) for w in line.writings],
                }
                for line in p.lines
            ]
            if show_people
            else None,
        }
        for p in panels
    ]


def rectification_items(campaign: Any, user: Any, *, status: str = "") -> Any:
    sees_all = can(user, Cap.VIEW_ORG, campaign.org)
    return rectification.items_of_campaign(campaign, owner_user=None if sees_all else user, status=status)


def activity_register(activity: Any, user: Any) -> Any:
    """The activity, its register riding on it: every row and the counts for those who view the organisation
    (as the register export), the caller's own row for a member (as the activity page's "my attendance")."""
    rows = study.register(activity)
    if can(user, Cap.VIEW_ORG, activity.org):
        counts: dict[str, int] | None = study_exports.counts(rows)
    else:
        me = person_of(user, member_only=True)
        rows, counts = [r for r in rows if me is not None and r.person.pk == me.pk], None
    activity.counts = counts
    activity.attendance = [_register_row(r) for r in rows]
    return activity


def _register_row(row: study.RegisterRow) -> dict[str, Any]:
    mark = row.attendance
    return {
        "person": {"id": row.person.pk, "name": row.person.name},
        "required": row.required,
        "status": mark.status if mark else None,
        "reason": mark.reason if mark else "",
        "source": mark.source if mark else None,
        "made_up": mark is not None and hasattr(mark, "makeup"),  # prefetched by the register; absent: no make-up
    }


def campaign_progress(panel: CampaignPanel) -> dict[str, Any]:
    """Each work item's state per person (the progress page's matrix), beside the counts campaign_detail gives:
    everyone's for those the pages show names to, the caller's own for a member."""
    return {
        "id": panel.campaign.pk,
        "shows_names": panel.show_names,
        "stages": [
            {
                "order": sp.stage.order,
                "code": sp.stage.code,
                "name": sp.stage.name,
                "status": sp.stage.status,
                "items": [_item_states(p, sp.counted, panel.show_names) for p in sp.items],
            }
            for sp in panel.stages
        ],
    }


def _item_states(p: ItemProgress, counted: bool, show_names: bool) -> dict[str, Any]:
    tracked = counted and p.tracked
    per_person = p.item.per_person
    mine = p.me if tracked and per_person and p.mine not in ("", "untracked") else None
    return {
        "code": p.item.code,
        "name": p.item.name,
        "per_person": per_person,
        "progress": "tracked" if tracked else ("untracked" if counted else "not_started"),
        "mine": _person_state(p, mine) if mine else None,
        "people": [_person_state(p, r) for r in p.expected] if tracked and per_person and show_names else None,
    }


def _person_state(p: ItemProgress, row: PersonRow) -> dict[str, Any]:
    return {
        "person": {"id": row.id, "name": row.name},
        "state": p.state_of(row.id),
        "left": p.left.get(row.id, ""),
        "reason": p.reasons.get(row.id, ""),
        "done_on": p.done_on.get(row.id),
    }


def campaign_sittings(campaign: Any, person: Any, user: Any) -> list[dict[str, Any]]:
    """The test page as data: every sitting with its counts for those who read the results, a member's own sittings
    otherwise; and on each, the caller's own sheet with the score where the page shows it."""
    reads_results = can(user, Cap.VIEW_ORG, campaign.org)
    if reads_results:
        sittings = list(exams.sittings_of(campaign).order_by("opens_at", "id"))
    else:
        sittings = exams.my_sittings(person, campaign) if person else []
    sheets = exams.my_sheets(person, campaign) if person else {}
    return [
        {
            "id": s.pk,
            "title": s.title,
            "paper": s.paper.title,
            "work_item": s.work_item.code if s.work_item else None,
            "makeup_of": s.makeup_of_id,
            "opens_at": s.opens_at,
            "closes_at": s.closes_at,
            "time_limit": s.time_limit,
            "counts": _sitting_counts(s) if reads_results else None,
            "mine": _my_sheet(sheets[s.pk]) if s.pk in sheets else None,
        }
        for s in sittings
    ]


def _sitting_counts(sitting: Any) -> dict[str, int]:
    states = [row.state for row in exams.roster(sitting)]
    return {
        "seats": len(states),
        "sat": states.count("submitted"),
        "absent": states.count("absent") + states.count("started"),
        "excused": states.count("excused"),
    }


def _my_sheet(sheet: Any) -> dict[str, Any]:
    graded = sheet.submitted_at is not None and not sheet.pending
    return {
        "state": "submitted" if sheet.submitted_at else "started",
        "started_at": sheet.started_at,
        "submitted_at": sheet.submitted_at,
        "score": sheet.score if graded else None,
        "max_score": sheet.max_score,
        "pending": sheet.pending,
    }
