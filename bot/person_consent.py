"""The referred person's own consent, on the runtime's side (the words: flows/person_consent.py).

    refer_person ─► ask_person: one SMS, in the daytime, naming the organisation; the case
                    waits ("waiting", person_consent "asked"), and so does their conversation
    OUI or APPEL ─► given: the person's consent replaces the alert giver's on the record
                    (kept in the event), and the case goes to the coordinators' queue ("new")
    other words  ─► unclear (after asking again once): the team reads them ("new")
    NON          ─► refused: the case is closed as declined and keeps only what is not
                    personal (reference, source, organisation, referrer, dates, status),
                    the person is erased as EFFACER does, and the referrer hears "declined"
                    (EFFACER while asked does the same)
    STOP         ─► refused too: the case is closed as declined, nothing erased beyond what
                    STOP does (the team may still need to know they said no)
    silence      ─► bot/consent_sweep.py: "silent" after settings.referral_consent_wait

A late answer, after the silence was handed to the team, still counts.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot import outbox, referrer_feedback
from bot.compose import compose
from bot.conversations import lock_conversation, save_state
from flows import person_consent as flow
from flows.model import STOPPED
from storage.models import Case, CaseEvent, Contact, Message, Note

if TYPE_CHECKING:
    from bot.effects import Context

ASKED, GIVEN, REFUSED, UNCLEAR, SILENT = "asked", "given", "refused", "unclear", "silent"
AWAITING = (ASKED, SILENT)  # the person has not answered yet
CONSENT_TEXT_VERSION = "person-sms-2026-1"  # bump when the SMS's question changes
# What a declined case keeps of its events' data: nothing a person said or is.
KEPT_EVENT_DATA = ("source", "channel", "from", "to", "outcome", "sms_at", "news")
PERSONAL_FIELDS: dict[str, Any] = {
    "commune_insee": None, "commune_name": None, "difficulties": [], "difficulty_note": None,
    "purposes": [], "purpose_note": None, "categories": [], "contact_preference": None,
    "contact_moments": [], "callback_phone": None, "callback_at": None, "wants_human": False,
    "waiting_since": None, "unread": False,
}


def ask_person(ctx: Context, case: Case, person: Contact, organisation: str | None) -> bool:
    """Queue the one SMS asking the person; False when they cannot be asked (no SMS
    address, STOP said, not a resident): the case then goes to the team as it is."""
    address = next((a for a in person.addresses if a.channel == "sms"), None)
    if address is None or address.opted_out_at is not None or person.role != "resident":
        return False
    conversation = lock_conversation(ctx.session, person, ctx.now)
    if conversation.status == STOPPED:
        return False
    from bot.proactive import next_time_to_write_first  # the holiday calendar: worker-side

    language = person.language or "fr"
    step = flow.ask(person.first_name, organisation, language, ctx.now)
    save_state(conversation, step.state)
    when = next_time_to_write_first(ctx.now)
    outbox.queue(ctx.session, address, compose(step.replies, language), ctx.now,
                 case_id=case.id, not_before=when)
    case.status, case.person_consent, case.person_consent_asked_at = "waiting", ASKED, when
    _event(ctx.session, case, ctx.now, "person_consent_asked", {"sms_at": when.isoformat()})
    return True


def given(ctx: Context, data: dict[str, Any]) -> None:
    """OUI (or APPEL): the person's own consent goes on the record; the team calls."""
    case = _awaiting(ctx)
    if case is None:
        return
    before = {"consent_by": case.consent_by, "consent_text_version": case.consent_text_version,
              "consent_at": case.consent_at.isoformat() if case.consent_at else None}
    case.consent_by, case.consent_at = "person", ctx.now
    case.consent_channel, case.consent_text_version = ctx.address.channel, CONSENT_TEXT_VERSION
    _to_the_team(ctx, case, GIVEN, {"before": before})


def unclear(ctx: Context, data: dict[str, Any]) -> None:
    """Neither yes nor no, twice: the team reads the message (it is on the case)."""
    case = _awaiting(ctx)
    if case is not None:
        _to_the_team(ctx, case, UNCLEAR, {})


def refused(ctx: Context, data: dict[str, Any]) -> None:
    """NON: the person is erased as EFFACER does, which first calls `erasing`."""
    from bot.effects import erase_contact

    erase_contact(ctx, {})


def erasing(ctx: Context) -> None:
    """NON, or EFFACER while asked: before the person is erased, their case is closed as
    declined and keeps nothing personal (so the network's figures still count it)."""
    case = _awaiting(ctx)
    if case is not None:
        _close_declined(ctx.session, case, ctx.now)
        anonymise(ctx.session, case)
        _tell_referrer(ctx.session, case, ctx.now)


def stopped(ctx: Context) -> None:
    """STOP before any answer: a refusal of contact, so the case is closed as declined,
    unless a coordinator already took it up (then STOP only stops the messages)."""
    case = _awaiting(ctx)
    if case is not None and case.status in ("waiting", "new"):
        _close_declined(ctx.session, case, ctx.now)
        _tell_referrer(ctx.session, case, ctx.now)


def asked_for_a_person(ctx: Context, case: Case, data: dict[str, Any]) -> None:
    """APPEL while asked is a yes; a voice note or a photo is for the team to hear."""
    if case.person_consent in AWAITING:
        (unclear if data.get("reason") == "media" else given)(ctx, data)


def anonymise(session: Session, case: Case) -> None:
    """Keep of a case only what is not personal, for the network's figures."""
    for name, value in PERSONAL_FIELDS.items():
        setattr(case, name, value)
    session.flush()
    session.execute(delete(Note).where(Note.case_id == case.id))
    for event in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)):
        event.data = {k: v for k, v in (event.data or {}).items() if k in KEPT_EVENT_DATA}
    if case.referrer_contact_id is not None:  # the referrer's thank-you named the person
        session.execute(update(Message).where(
            Message.contact_id == case.referrer_contact_id, Message.direction == "out",
            Message.status != "queued", Message.body.contains(case.reference)).values(body=""))
    case.contact_id = None  # the person's erasure leaves this case alone
    session.flush()


def _awaiting(ctx: Context) -> Case | None:
    case = ctx.case
    return case if case is not None and case.person_consent in AWAITING else None


def _to_the_team(ctx: Context, case: Case, answer: str, data: dict[str, Any]) -> None:
    case.person_consent = answer
    _event(ctx.session, case, ctx.now, f"person_consent_{answer}", data, actor="person")
    if case.status == "waiting":
        case.status = "new"
        _event(ctx.session, case, ctx.now, "status_changed", {"from": "waiting", "to": "new"},
               actor="person")


def _close_declined(session: Session, case: Case, now: datetime) -> None:
    before = case.status
    case.person_consent, case.status, case.outcome = REFUSED, "closed", "declined"
    case.closed_at = now
    _event(session, case, now, "person_consent_refused", {}, actor="person")
    _event(session, case, now, "status_changed",
           {"from": before, "to": "closed", "outcome": "declined"}, actor="person")


def _tell_referrer(session: Session, case: Case, now: datetime) -> None:
    referrer_feedback.tell_referrer(session, case, "declined", now)


def _event(session: Session, case: Case, now: datetime, kind: str, data: dict[str, Any],
           actor: str = "bot") -> None:
    session.add(CaseEvent(case_id=case.id, at=now, kind=kind, actor=actor, data=data))


HANDLERS = {"person_consent_given": given, "person_consent_unclear": unclear,
            "person_consent_refused": refused}
