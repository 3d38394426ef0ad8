"""The only place that writes opinion rounds, opinions, symposia, visits, codes and letter runs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingyi.campaigns.models import Campaign
from pingyi.core import audit, jobs
from pingyi.org.models import OrgUnit, Person
from pingyi.rectification import services as rectification

from . import codes, limits

if TYPE_CHECKING:
    from pingyi.rectification.models import RectificationItem
from .models import (
    AccessCode,
    Category,
    Channel,
    Invitee,
    LetterBatch,
    Opinion,
    OpinionRound,
    OpinionStatus,
    Symposium,
    TargetGroup,
    Visit,
)

LETTERS_JOB = "opinions.letters"
_CONTACT_GROUPS = {
    "employer": TargetGroup.EMPLOYER,
    "agency": TargetGroup.AGENCY,
    "village": TargetGroup.PUBLIC,
    "service_user": TargetGroup.PUBLIC,
}
# PostgreSQL refuses NUL in text, and other control characters only hide what was written.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    return _CONTROL.sub("", text or "").strip()


@transaction.atomic
def create_round(
    *,
    org: OrgUnit,
    title: str,
    by: Any,
    campaign: Campaign | None = None,
    intro: str = "",
    audiences: Sequence[str] = (),
    topics: Sequence[str] = (),
    closes_on: date | None = None,
    accepts_public: bool = True,
    requires_code: bool = False,
    is_demo: bool = False,
) -> OpinionRound:
    round_ = OpinionRound.objects.create(
        org=org,
        campaign=campaign,
        title=title.strip(),
        intro=clean_text(intro),
        audiences=list(audiences),
        topics=list(topics),
        closes_on=closes_on,
        accepts_public=accepts_public,
        requires_code=requires_code,
        created_by=audit.user_of(by),
        is_demo=is_demo,
    )
    audit.record(actor=by, action="opinions.round_created", org=org, target=round_, data={"title": round_.title})
    return round_


ROUND_FIELDS = ("title", "intro", "audiences", "topics", "closes_on", "accepts_public", "requires_code")


@transaction.atomic
def update_round(*, round: OpinionRound, by: Any, **fields: Any) -> OpinionRound:
    changed = {}
    for name in ROUND_FIELDS:
        if name in fields and getattr(round, name) != fields[name]:
            setattr(round, name, fields[name])
            changed[name] = fields[name]
    if changed:
        round.save(update_fields=list(changed))
        audit.record(actor=by, action="opinions.round_updated", org=round.org, target=round, data=changed)
    return round


@transaction.atomic
def record_opinion(
    *,
    round: OpinionRound,
    channel: str,
    text: str,
    concerns_person: Person | None = None,
    concerns_unit: str = "",
    by: Any,
    **fields: Any,
) -> Opinion:
    """One opinion from any channel; talks and life meetings call this for the opinions raised in them."""
    text = clean_text(text)
    if not text:
        raise ValidationError(_("意见内容不能为空"))
    opinion = Opinion.objects.create(
        round=round,
        channel=channel,
        text=text,
        concerns_person=concerns_person,
        concerns_unit=concerns_unit.strip(),
        recorded_by=fields.pop("recorded_by", audit.user_of(by)),
        **fields,
    )
    audit.record(actor=by, action="opinions.recorded", org=round.org, target=opinion, data={"channel": channel})
    return opinion


# --- The public form ------------------------------------------------------------------------


class Refused(Exception):
    """A submission turned away by a rate limit; nothing was stored, the sender keeps their text."""

    def __init__(self, refusal: limits.Refusal) -> None:
        self.refusal = refusal
        minutes = max(refusal.seconds // 60, 1)
        args = {"limit": refusal.limit, "minutes": minutes}
        if refusal.kind == "address":
            message = _("提交过于频繁：同一网络地址每%(minutes)d分钟最多提交%(limit)d条意见。请稍后再试。") % args
        elif refusal.kind == "code":
            message = _("这个邀请码提交次数已达上限（每%(minutes)d分钟%(limit)d条），请稍后再试。") % args
        else:
            message = _("此刻提交的人很多，请过一两分钟再试。")
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Submitted:
    opinion: Opinion
    repeated: bool  # the same form sent again: nothing new was stored


def round_is_open(round: OpinionRound) -> bool:
    return round.accepts_public and (round.closes_on is None or round.closes_on >= timezone.localdate())


def submit_public_opinion(
    *,
    round: OpinionRound,
    text: str,
    address: str,
    submission_key: str = "",
    code: str = "",
    topic: str = "",
    source_group: str = "",
    contact_name: str = "",
    contact_phone: str = "",
) -> Submitted:
    """An opinion from the online form, no account needed.

    Raises ValidationError (bad input, closed round, wrong code) or Refused (a rate limit) and then
    stores nothing. Limits are counted before the write so that concurrent senders cannot overrun them.
    """
    if not round_is_open(round):
        raise ValidationError(_("本轮征求意见已经结束，不再接受网上提交。"))
    text = clean_text(text)
    if not text:
        raise ValidationError(_("请填写意见内容"))
    if len(text) > limits.setting("OPINIONS_MAX_CHARS"):
        raise ValidationError(_("意见内容过长"))
    if submission_key:
        earlier = Opinion.objects.filter(round=round, submission_key=submission_key).first()
        if earlier is not None:
            return Submitted(earlier, repeated=True)

    taken: list[tuple[str, str]] = []

    def take(kind: str, value: str) -> None:
        refusal = limits.take(kind, value)
        if refusal is not None:
            raise Refused(refusal)
        taken.append((kind, value))

    take("address", address)
    take("round", round.public_key)
    access = _access_code(round, code)
    if access is not None and access.kind == AccessCode.Kind.ROUND:
        take("code", access.code_hash)
    try:
        return _store_public(
            round=round,
            text=text,
            access=access,
            submission_key=submission_key or None,
            topic=topic,
            source_group=source_group,
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
        )
    except IntegrityError:
        # The same form sent twice at once: the other request stored it.
        earlier = Opinion.objects.filter(round=round, submission_key=submission_key).first()
        if earlier is None:
            raise
        return Submitted(earlier, repeated=True)
    except BaseException:
        for kind, value in taken:
            limits.give_back(kind, value)
        raise


def _access_code(round: OpinionRound, code: str) -> AccessCode | None:
    if not codes.normalise(code):
        if round.requires_code:
            raise ValidationError(_("本轮只接受受邀单位凭邀请码提交，请填写征求意见函上的邀请码。"))
        return None
    access = (
        AccessCode.objects.select_related("invitee")
        .filter(round=round, code_hash=codes.hash_code(code), revoked=False)
        .first()
    )
    if access is None:
        raise ValidationError(_("邀请码不正确，请核对征求意见函上的邀请码。"))
    if access.used_at is not None:
        raise ValidationError(_("这个邀请码已经用过了：每个一次性邀请码只能提交一次。"))
    return access


@transaction.atomic
def _store_public(
    *,
    round: OpinionRound,
    text: str,
    access: AccessCode | None,
    submission_key: str | None,
    topic: str,
    source_group: str,
    contact_name: str,
    contact_phone: str,
) -> Submitted:
    invitee = access.invitee if access else None
    one_time = access is not None and access.kind == AccessCode.Kind.ONE_TIME
    # A conditional update: of two requests racing with one code, exactly one wins.
    if one_time and not AccessCode.objects.filter(pk=access.pk, used_at__isnull=True).update(used_at=timezone.now()):  # type: ignore[union-attr]
        raise ValidationError(_("这个邀请码已经用过了：每个一次性邀请码只能提交一次。"))
    opinion = Opinion.objects.create(
        round=round,
        channel=Channel.ONLINE,
        text=text,
        topic=topic,
        source_group=invitee.group if invitee else source_group,
        source_name=invitee.name if invitee else "",
        invitee=invitee,
        contact_name=contact_name,
        contact_phone=contact_phone,
        submission_key=submission_key,
    )
    audit.record(
        actor="public", action="opinions.submitted", org=round.org, target=opinion, data={"invited": bool(access)}
    )
    return Submitted(opinion, repeated=False)


# --- Invitees and codes -----------------------------------------------------------------------


@dataclass(frozen=True)
class InviteeEntry:
    name: str
    contact: str = ""
    group: str = TargetGroup.EMPLOYER
    person: Person | None = None


def invitee_entries(
    *, contacts: Iterable[Person] = (), lines: str = "", group: str = TargetGroup.EMPLOYER
) -> list[InviteeEntry]:
    """Contacts the system already holds, then one unit per line ("单位名称 联系人")."""
    entries = [
        InviteeEntry(
            name=p.affiliation or p.name,
            contact=p.name if p.affiliation else "",
            group=_CONTACT_GROUPS.get(p.contact_type, group),
            person=p,
        )
        for p in contacts
    ]
    for line in _lines(lines):
        name, *rest = re.split(r"\s+", line, maxsplit=1)  # \s also matches the full-width space
        entries.append(InviteeEntry(name=name, contact=rest[0] if rest else "", group=group))
    return entries


@transaction.atomic
def add_invitees(*, round: OpinionRound, entries: Iterable[InviteeEntry], by: Any) -> int:
    """Adds the units not yet on the round's list (by name); returns how many were new."""
    existing = set(round.invitees.values_list("name", flat=True))
    new = []
    for entry in entries:
        name = entry.name.strip()[:120]
        if name and name not in existing:
            existing.add(name)
            new.append(
                Invitee(
                    round=round, name=name, contact=entry.contact.strip()[:50], group=entry.group, person=entry.person
                )
            )
    Invitee.objects.bulk_create(new)
    if new:
        audit.record(actor=by, action="opinions.invitees_added", org=round.org, target=round, data={"count": len(new)})
    return len(new)


@transaction.atomic
def remove_invitee(*, invitee: Invitee, by: Any) -> None:
    round_ = invitee.round
    audit.record(
        actor=by, action="opinions.invitee_removed", org=round_.org, target=round_, data={"name": invitee.name}
    )
    invitee.delete()


def _issue_code(round: OpinionRound, kind: str, invitee: Invitee | None = None) -> str:
    for _attempt in range(5):
        code = codes.new_code()
        try:
            with transaction.atomic():
                AccessCode.objects.create(round=round, invitee=invitee, kind=kind, code_hash=codes.hash_code(code))
            return code
        except IntegrityError:  # the same code drawn twice: draw again
            continue
    raise RuntimeError("could not draw a fresh invitation code")


@transaction.atomic
def issue_round_code(*, round: OpinionRound, by: Any) -> str:
    """A code shared by everyone invited to this round (e.g. read out at a symposium); shown once."""
    code = _issue_code(round, AccessCode.Kind.ROUND)
    audit.record(actor=by, action="opinions.code_issued", org=round.org, target=round, data={"kind": "round"})
    return code


def issue_invitee_code(*, invitee: Invitee) -> str:
    """A fresh one-time code for a letter; the invitee's earlier unused codes stop working."""
    AccessCode.objects.filter(invitee=invitee, used_at__isnull=True).update(revoked=True)
    return _issue_code(invitee.round, AccessCode.Kind.ONE_TIME, invitee)


@transaction.atomic
def revoke_round_codes(*, round: OpinionRound, by: Any) -> int:
    count = AccessCode.objects.filter(round=round, kind=AccessCode.Kind.ROUND, revoked=False).update(revoked=True)
    audit.record(actor=by, action="opinions.codes_revoked", org=round.org, target=round, data={"count": count})
    return count


# --- Letters and invitations (one background job per run) ------------------------------------


@transaction.atomic
def start_letter_run(
    *,
    round: OpinionRound,
    by: Any,
    base_url: str,
    kind: str = LetterBatch.Kind.LETTERS,
    symposium: Symposium | None = None,
) -> LetterBatch:
    running = (
        LetterBatch.objects.filter(round=round, kind=kind, symposium=symposium, content__isnull=True)
        .exclude(job__status__in=["done", "failed"])
        .first()
    )
    if running is not None:
        return running  # a second click while the run is under way: the same run
    addressees = symposium.invitees.count() if symposium else round.invitees.count()
    if not addressees:
        raise ValidationError(_("还没有征求对象，请先添加单位。"))
    batch = LetterBatch.objects.create(
        round=round, kind=kind, symposium=symposium, base_url=base_url[:200], created_by=audit.user_of(by)
    )
    batch.job = jobs.enqueue(LETTERS_JOB, by=by, org=round.org, batch_id=batch.pk)
    batch.save(update_fields=["job"])
    audit.record(
        actor=by,
        action="opinions.letters_started",
        org=round.org,
        target=batch,
        data={"kind": kind, "count": addressees},
    )
    return batch


# --- Handling opinions ----------------------------------------------------------------------


def _lock(opinion: Opinion) -> Opinion:
    return Opinion.objects.select_for_update(of=("self",)).select_related("round__org").get(pk=opinion.pk)


@transaction.atomic
def categorise_opinion(
    *,
    opinion: Opinion,
    category: Category | None,
    by: Any,
    topic: str = "",
    concerns_person: Person | None = None,
    concerns_unit: str = "",
) -> Opinion:
    opinion = _lock(opinion)
    if opinion.status == OpinionStatus.MERGED:
        raise ValidationError(_("这条意见已并入另一条，请处理那一条。"))
    opinion.category = category
    opinion.topic = topic
    opinion.concerns_person = concerns_person
    opinion.concerns_unit = concerns_unit.strip()
    if opinion.status == OpinionStatus.NEW:
        opinion.status = OpinionStatus.CATEGORISED
    opinion.save(update_fields=["category", "topic", "concerns_person", "concerns_unit", "status"])
    audit.record(
        actor=by,
        action="opinions.categorised",
        org=opinion.round.org,
        target=opinion,
        data={"category": category.name if category else "", "topic": topic},
    )
    return opinion


@transaction.atomic
def answer_opinion(*, opinion: Opinion, answer: str, by: Any) -> Opinion:
    opinion = _lock(opinion)
    answer = clean_text(answer)
    if not answer:
        raise ValidationError(_("请填写答复内容"))
    if opinion.status == OpinionStatus.MERGED:
        raise ValidationError(_("这条意见已并入另一条，请答复那一条。"))
    if opinion.answer == answer and opinion.status == OpinionStatus.ANSWERED:
        return opinion  # the same answer sent twice
    opinion.answer = answer
    opinion.answered_by = audit.user_of(by)
    opinion.answered_at = timezone.now()
    opinion.status = OpinionStatus.ANSWERED
    opinion.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    audit.record(actor=by, action="opinions.answered", org=opinion.round.org, target=opinion)
    return opinion


@transaction.atomic
def merge_opinions(*, primary: Opinion, duplicates: Iterable[Opinion], by: Any) -> int:
    """Fold duplicates into `primary`; they keep their text and source but are handled through it."""
    primary = _lock(primary)
    if primary.status == OpinionStatus.MERGED:
        raise ValidationError(_("不能并入一条已经被合并的意见。"))
    ids = [d.pk for d in duplicates if d.pk != primary.pk]
    others = list(Opinion.objects.select_for_update().filter(pk__in=ids))
    if any(o.round_id != primary.round_id for o in others):
        raise ValidationError(_("只能合并同一轮征求意见中的意见。"))
    merged = 0
    for other in others:
        if other.status == OpinionStatus.MERGED and other.merged_into_id == primary.pk:
            continue
        # Anything already folded into the duplicate moves up to the primary.
        Opinion.objects.filter(merged_into=other).update(merged_into=primary)
        other.status = OpinionStatus.MERGED
        other.merged_into = primary
        other.save(update_fields=["status", "merged_into"])
        merged += 1
    if merged:
        audit.record(actor=by, action="opinions.merged", org=primary.round.org, target=primary, data={"merged": ids})
    return merged


@transaction.atomic
def turn_into_rectification(*, opinion: Opinion, by: Any) -> RectificationItem:
    """One click: an item in the rectification list, linked from the opinion in the same transaction."""
    opinion = _lock(opinion)
    if opinion.rectification_item is not None:
        return opinion.rectification_item  # a second click finds the item the first one made
    if opinion.status == OpinionStatus.MERGED:
        raise ValidationError(_("这条意见已并入另一条，请从那一条转为整改事项。"))
    round_ = opinion.round
    item = rectification.item_from_record(
        record=opinion,
        org=round_.org,
        campaign=round_.campaign,
        title=opinion.text.splitlines()[0][:60],
        detail=opinion.text,
        source=rectification.ItemSource.OPINION,
        source_label=f"{round_.title} · {opinion.get_channel_display()}",
        suggested_owner=opinion.concerns_person,
        by=by,
    )
    _link(opinion, item)
    return item


def _link(opinion: Opinion, item: RectificationItem) -> None:
    opinion.rectification_item = item
    opinion.save(update_fields=["rectification_item"])
    Opinion.objects.filter(merged_into=opinion).update(rectification_item=item)


@transaction.atomic
def link_rectification(*, opinion_id: int, item: RectificationItem) -> None:
    """Point an opinion (and those merged into it) at an item made from the same words elsewhere, e.g. the
    criticism at a life meeting that the opinion records; an opinion already linked keeps its item."""
    opinion = Opinion.objects.select_for_update(of=("self",)).filter(pk=opinion_id).first()
    if opinion is not None and not opinion.rectification_item_id:
        _link(opinion, item)


# --- Symposia and visits --------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line for line in (clean_text(raw) for raw in (text or "").splitlines()) if line]


@transaction.atomic
def record_symposium(
    *,
    round: OpinionRound,
    title: str,
    held_on: date,
    by: Any,
    place: str = "",
    hosts: Iterable[Person] = (),
    attendees: str = "",
    minutes: str = "",
    opinions: str = "",
    invitees: Iterable[Invitee] = (),
    is_followup: bool = False,
) -> Symposium:
    """A symposium and the opinions raised in it (one per line of `opinions`)."""
    symposium = Symposium.objects.create(
        round=round,
        title=title.strip(),
        held_on=held_on,
        place=place.strip(),
        attendees=clean_text(attendees),
        minutes=clean_text(minutes),
        is_followup=is_followup,
    )
    symposium.hosts.set(list(hosts))
    symposium.invitees.set(list(invitees))
    audit.record(actor=by, action="opinions.symposium_recorded", org=round.org, target=symposium)
    _raise_opinions(symposium=symposium, text=opinions, by=by)
    return symposium


@transaction.atomic
def update_symposium(
    *,
    symposium: Symposium,
    by: Any,
    title: str,
    held_on: date,
    place: str = "",
    hosts: Iterable[Person] = (),
    attendees: str = "",
    minutes: str = "",
    opinions: str = "",
) -> Symposium:
    """Edit the record; new lines in `opinions` are added as further opinions raised there."""
    symposium.title, symposium.held_on, symposium.place = title.strip(), held_on, place.strip()
    symposium.attendees, symposium.minutes = clean_text(attendees), clean_text(minutes)
    symposium.save()
    symposium.hosts.set(list(hosts))
    audit.record(actor=by, action="opinions.symposium_updated", org=symposium.round.org, target=symposium)
    _raise_opinions(symposium=symposium, text=opinions, by=by)
    return symposium


def _raise_opinions(*, symposium: Symposium, text: str, by: Any) -> None:
    for line in _lines(text):
        record_opinion(
            round=symposium.round,
            channel=Channel.SYMPOSIUM,
            text=line,
            symposium=symposium,
            source_name=symposium.title,
            by=by,
        )


@transaction.atomic
def record_visit(
    *,
    round: OpinionRound,
    visited: str,
    visited_on: date,
    by: Any,
    visitors: Iterable[Person] = (),
    notes: str = "",
    opinions: str = "",
    source_group: str = "",
) -> Visit:
    visit = Visit.objects.create(round=round, visited=visited.strip(), visited_on=visited_on, notes=clean_text(notes))
    visit.visitors.set(list(visitors))
    audit.record(actor=by, action="opinions.visit_recorded", org=round.org, target=visit)
    for line in _lines(opinions):
        record_opinion(
            round=round,
            channel=Channel.VISIT,
            text=line,
            visit=visit,
            source_name=visit.visited,
            source_group=source_group,
            by=by,
        )
    return visit


def units_that_gave_opinions(round: OpinionRound) -> list[Invitee]:
    return list(round.invitees.filter(opinions__isnull=False).distinct().order_by("id"))


@transaction.atomic
def plan_followup(
    *,
    round: OpinionRound,
    invitees: Sequence[Invitee],
    title: str,
    held_on: date,
    by: Any,
    base_url: str,
    place: str = "",
) -> tuple[Symposium, LetterBatch]:
    """A follow-up symposium with the units that gave opinions, and their invitation letters (one job)."""
    if not invitees:
        raise ValidationError(_("请至少选择一个单位。"))
    symposium = record_symposium(
        round=round, title=title, held_on=held_on, place=place, invitees=invitees, is_followup=True, by=by
    )
    batch = start_letter_run(
        round=round, by=by, base_url=base_url, kind=LetterBatch.Kind.INVITATIONS, symposium=symposium
    )
    return symposium, batch
