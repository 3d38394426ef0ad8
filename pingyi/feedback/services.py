"""The only place that writes feedback: draft from the record, edit, deliver, acknowledge, turn into an item."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Campaign
from pingyi.core import audit
from pingyi.evaluation.selectors import CommitteeOpinion, committee_opinion, opinion_pending
from pingyi.org.models import Person
from pingyi.rectification import services as rectification

from .drafting import as_basis, draft_sentences, draft_text
from .models import Feedback, FeedbackStatus, Section

if TYPE_CHECKING:
    from pingyi.rectification.models import RectificationItem

TEXT_FIELDS = ("strengths", "problems", "direction")


def members_of(campaign: Campaign) -> Any:
    """Everyone who gets written feedback: the party members of the campaign's node and below."""
    return Person.objects.members().in_subtree(campaign.org).select_related("org").order_by("org__path", "id")


def _locked(feedback: Feedback) -> Feedback:
    return (
        Feedback.objects.select_for_update(of=("self",)).select_related("campaign__org", "person").get(pk=feedback.pk)
    )


@transaction.atomic
def draft_feedback(
    *, campaign: Campaign, person: Person, by: Any, replace: bool = False, is_demo: bool = False
) -> Feedback:
    """The member's draft (made once); `replace` rewrites a draft from the record, losing the edits."""
    existing = Feedback.objects.select_for_update().filter(campaign=campaign, person=person).first()
    if existing is not None and not replace:
        return existing
    if existing is not None and existing.status != FeedbackStatus.DRAFT:
        raise ValidationError(_("反馈已送达，不能重新起草。"))
    decided = committee_opinion(person, campaign)
    sentences = draft_sentences(person, campaign, decided)
    fields = {**draft_text(sentences), **_decision_fields(decided), "basis": as_basis(sentences)}
    if existing is None:
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(
                    campaign=campaign, person=person, created_by=audit.user_of(by), is_demo=is_demo, **fields
                )
        except IntegrityError:  # a second request drafted it first
            return Feedback.objects.get(campaign=campaign, person=person)
    else:
        feedback = existing
        for name, value in fields.items():
            setattr(feedback, name, value)
        feedback.save(update_fields=[*fields, "updated_at"])
    audit.record(actor=by, action="feedback.drafted", org=campaign.org, target=feedback)
    return feedback


@transaction.atomic
def draft_all(*, campaign: Campaign, by: Any) -> int:
    """Drafts for every member who has none yet; returns how many were made."""
    have = set(Feedback.objects.filter(campaign=campaign).values_list("person_id", flat=True))
    made = 0
    for person in members_of(campaign):
        if person.pk not in have:
            draft_feedback(campaign=campaign, person=person, by=by)
            made += 1
    return made


@transaction.atomic
def edit_feedback(*, feedback: Feedback, by: Any, strengths: str, problems: str, direction: str) -> Feedback:
    feedback = _locked(feedback)
    if feedback.status != FeedbackStatus.DRAFT:
        raise ValidationError(_("反馈已送达本人，不能再修改。"))
    values = {"strengths": strengths.strip(), "problems": problems.strip(), "direction": direction.strip()}
    changed = [name for name, value in values.items() if getattr(feedback, name) != value]
    if changed:
        for name in changed:
            setattr(feedback, name, values[name])
        feedback.save(update_fields=[*changed, "updated_at"])
        audit.record(actor=by, action="feedback.edited", org=feedback.campaign.org, target=feedback)
    return feedback


def _decision_fields(decided: CommitteeOpinion | None) -> dict[str, Any]:
    """The committee's grade and opinion as the feedback carries them (in their own place)."""
    if decided is None:
        return {"grade": "", "opinion": "", "correct_by": None}
    return {"grade": decided.grade_label, "opinion": decided.opinion, "correct_by": decided.correct_by}


def missing_sections(feedback: Feedback) -> list[str]:
    return [str(label) for value, label in Section.choices if not getattr(feedback, value).strip()]


@dataclass(frozen=True)
class Sent:
    feedback: Feedback
    changed: bool
    held: str = ""  # why a draft was not sent though the request was in order (the decision changed)


@transaction.atomic
def send_feedback(*, feedback: Feedback, by: Any) -> Sent:
    """Deliver to the member. Each of the three parts must say something: the feedback is in writing, in full.

    It states the committee's grade and opinion, so it waits for them when the member is on an evaluation
    round of the campaign; if the committee changed them after the draft, the feedback takes the new ones
    and is not sent this time, so the secretary can check the three parts against the new grade."""
    feedback = _locked(feedback)
    if feedback.status != FeedbackStatus.DRAFT:
        return Sent(feedback, changed=False)
    name = feedback.person.name
    if opinion_pending(feedback.person, feedback.campaign):
        raise ValidationError(_("支部委员会尚未对%(name)s形成评定意见，反馈暂不能送达。") % {"name": name})
    current = _decision_fields(committee_opinion(feedback.person, feedback.campaign))
    if any(getattr(feedback, k) != v for k, v in current.items()):
        for key, value in current.items():
            setattr(feedback, key, value)
        feedback.save(update_fields=[*current, "updated_at"])
        audit.record(actor=by, action="feedback.decision_refreshed", org=feedback.campaign.org, target=feedback)
        held = _("起草后支委会的评定有变化，%(name)s的反馈已改为现在的评定（%(grade)s），请核对三部分内容后再送达。")
        grade = current["grade"] or _("不评定等次")
        return Sent(feedback, changed=False, held=held % {"name": name, "grade": grade})
    missing = missing_sections(feedback)
    if missing:
        raise ValidationError(_("%(name)s的反馈还缺少：%(parts)s。") % {"name": name, "parts": "、".join(missing)})
    feedback.status = FeedbackStatus.SENT
    feedback.sent_at = timezone.now()
    feedback.sent_by = audit.user_of(by)
    feedback.save(update_fields=["status", "sent_at", "sent_by", "updated_at"])
    audit.record(actor=by, action="feedback.sent", org=feedback.campaign.org, target=feedback)
    return Sent(feedback, changed=True)


@dataclass
class SendAll:
    sent: int = 0
    held: list[str] = field(default_factory=list)  # why each draft left undelivered was held back


def send_all(*, campaign: Campaign, by: Any) -> SendAll:
    """Deliver every complete draft; those held back stay drafts, each with its reason. Each send commits alone."""
    result = SendAll()
    for feedback in Feedback.objects.filter(campaign=campaign, status=FeedbackStatus.DRAFT).select_related("person"):
        try:
            sent = send_feedback(feedback=feedback, by=by)
        except ValidationError as exc:
            result.held.append(" ".join(exc.messages))
            continue
        if sent.held:
            result.held.append(sent.held)
        elif sent.changed:
            result.sent += 1
    return result


@transaction.atomic
def acknowledge(*, feedback: Feedback, by: Any) -> Sent:
    """The member confirms having read it; the first time counts, a second click changes nothing."""
    feedback = _locked(feedback)
    if feedback.status == FeedbackStatus.ACKNOWLEDGED:
        return Sent(feedback, changed=False)
    if feedback.status != FeedbackStatus.SENT:
        raise ValidationError(_("反馈尚未送达，无需确认。"))
    feedback.status = FeedbackStatus.ACKNOWLEDGED
    feedback.acknowledged_at = timezone.now()
    feedback.save(update_fields=["status", "acknowledged_at", "updated_at"])
    audit.record(actor=by, action="feedback.acknowledged", org=feedback.campaign.org, target=feedback)
    return Sent(feedback, changed=True)


@transaction.atomic
def make_item(*, feedback: Feedback, by: Any) -> RectificationItem:
    """The direction of rectification becomes the member's own item; once per feedback."""
    feedback = _locked(feedback)
    if feedback.rectification_item is not None:
        return feedback.rectification_item
    if feedback.status == FeedbackStatus.DRAFT:  # the member must not meet the direction before the letter
        raise ValidationError(_("反馈送达后才能把整改方向转为整改事项。"))
    if not feedback.direction.strip():
        raise ValidationError(_("请先写好整改方向。"))
    campaign = feedback.campaign
    item = rectification.item_from_record(
        record=feedback,
        org=campaign.org,
        campaign=campaign,
        title=_("落实评议反馈的整改方向"),
        detail=feedback.problems,
        measures=feedback.direction,
        owner=feedback.person,
        due_on=feedback.correct_by,  # 不合格: the deadline to correct; otherwise rectification's default
        source=rectification.ItemSource.FEEDBACK,
        source_label=_("%(campaign)s · 书面反馈") % {"campaign": campaign.title},
        by=by,
        is_demo=feedback.is_demo,
    )
    feedback.rectification_item = item
    feedback.save(update_fields=["rectification_item", "updated_at"])
    return item
