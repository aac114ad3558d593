"""Effects the engine asks for, applied in the transaction that saves its new state."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot import handover, network_effects, outings, person_consent, referrals
from bot.routing import team_for_commune
from flows.model import Effect
from storage.models import Case, CaseEvent, ChannelAddress, Contact, Message
from storage.references import next_case_reference

CONSENT_TEXT_VERSION = "resident-2026-1"  # bump when the consent wording changes


@dataclass
class Context:
    """What an effect may touch: this person, this address, this moment."""

    session: Session
    contact: Contact
    address: ChannelAddress
    now: datetime
    results: dict[str, Any] = field(default_factory=dict)  # e.g. the new case's reference
    purge_replies: bool = False  # the replies are the last message to this person
    case: Case | None = None  # the person's open case, kept current by the effects


def open_case(session: Session, contact_id: int) -> Case | None:
    """The person's case that is not closed yet, if any (the newest)."""
    query = (select(Case).where(Case.contact_id == contact_id, Case.status != "closed")
             .order_by(Case.id.desc()).limit(1))
    return session.scalars(query).first()


def open_case_id(session: Session, contact_id: int) -> int | None:
    case = open_case(session, contact_id)
    return case.id if case else None


def new_case(ctx: Context, **fields: Any) -> Case:
    previous = handover.last_closed_case(ctx.session, ctx.contact.id)
    case = Case(
        reference=next_case_reference(ctx.session, ctx.now.year), contact_id=ctx.contact.id,
        source="self", channel=ctx.address.channel, status="new", created_at=ctx.now,
        previous_case_id=previous.id if previous else None, **fields,
    )
    ctx.session.add(case)
    ctx.session.flush()
    # The conversation that led here belongs to the case.
    ctx.session.execute(update(Message).where(
        Message.contact_id == ctx.contact.id, Message.case_id.is_(None)).values(case_id=case.id))
    ctx.case = case
    return case


def create_case(ctx: Context, data: dict[str, Any]) -> None:
    consent_at = data.pop("consent_at", None)
    team = team_for_commune(ctx.session, data.get("commune_insee"))
    case = new_case(
        ctx, team_id=team.id if team else None, consent_by="person",
        consent_at=datetime.fromisoformat(consent_at) if consent_at else ctx.now,
        consent_channel=ctx.address.channel, consent_text_version=CONSENT_TEXT_VERSION, **data,
    )
    event(ctx, case, "created", {"source": "self", "channel": ctx.address.channel})
    ctx.results["reference"] = case.reference


def handover_to_human(ctx: Context, data: dict[str, Any]) -> None:
    """APPEL: the person asks for a person; flag their case, or open one with what we know."""
    case = ctx.case
    if case is None:
        # An alert giver's answers may be about someone else (a referral under way).
        answers = data.get("answers", {}) if ctx.contact.role == "resident" else {}
        commune = answers.get("commune") or {}
        team = team_for_commune(ctx.session, commune.get("insee"))
        case = new_case(
            ctx, team_id=team.id if team else None, commune_insee=commune.get("insee"),
            commune_name=commune.get("name"), difficulties=answers.get("difficulties", []),
            purposes=answers.get("purposes", []), consent_by="person", consent_at=ctx.now,
            consent_channel=ctx.address.channel, consent_text_version="asked-for-a-person",
        )
        event(ctx, case, "created", {"source": "self", "channel": ctx.address.channel})
    person_consent.asked_for_a_person(ctx, case, data)  # a referred person's APPEL is a yes
    case.wants_human = True
    event(ctx, case, "sent_media" if data.get("reason") == "media" else "asked_for_a_person", {})
    ctx.results["reference"] = case.reference


def opt_out(ctx: Context, data: dict[str, Any]) -> None:
    ctx.address.opted_out_at = ctx.now
    person_consent.stopped(ctx)  # a referred person's STOP is a no


def opt_in(ctx: Context, data: dict[str, Any]) -> None:
    ctx.address.opted_out_at = None


def forget_messages(ctx: Context, data: dict[str, Any]) -> None:
    """No consent, or answers expired: blank what they wrote outside any case."""
    ctx.session.flush()
    ctx.session.execute(update(Message).where(
        Message.contact_id == ctx.contact.id, Message.case_id.is_(None)).values(body="", media=None))


def erase_contact(ctx: Context, data: dict[str, Any]) -> None:
    """EFFACER: cases, notes and messages go now; the contact goes with the last reply.

    Inbound rows keep only their provider id (so a replayed webhook is still known) and
    lose everything else.
    """
    person_consent.erasing(ctx)  # a referral's case stays, with nothing personal left
    session, contact_id = ctx.session, ctx.contact.id
    session.flush()
    session.execute(delete(Case).where(Case.contact_id == contact_id))
    session.execute(delete(Message).where(Message.contact_id == contact_id, Message.direction == "out"))
    session.execute(update(Message).where(Message.contact_id == contact_id).values(
        body="", media=None, contact_id=None, channel_address_id=None, case_id=None))
    ctx.contact.first_name = None
    ctx.purge_replies = True
    ctx.case = None


def set_language(ctx: Context, data: dict[str, Any]) -> None:
    """The person chose a language (or Telegram suggested it): everything later uses it."""
    ctx.contact.language = data["language"]


def event(ctx: Context, case: Case, kind: str, data: dict[str, Any], actor: str = "bot") -> None:
    ctx.session.add(CaseEvent(case_id=case.id, at=ctx.now, kind=kind, actor=actor, data=data))


HANDLERS: dict[str, Callable[[Context, dict[str, Any]], None]] = {
    "create_case": create_case,
    "handover_to_human": handover_to_human,
    "opt_out": opt_out,
    "opt_in": opt_in,
    "forget_messages": forget_messages,
    "conversation_expired": forget_messages,
    "erase_contact": erase_contact,
    **network_effects.HANDLERS,
    **referrals.HANDLERS,
    **outings.HANDLERS,
    **person_consent.HANDLERS,
    "set_language": set_language,
}


def apply(ctx: Context, effects: tuple[Effect, ...]) -> dict[str, Any]:
    """Apply the effects in order; return what replies may mention (a case reference)."""
    for effect in effects:
        HANDLERS[effect.kind](ctx, dict(effect.data))
    return ctx.results
