"""A referral confirmed by an alert giver becomes a case for the person they met.

The person gets a contact of their own (found again by their phone when they already
wrote to us) with their phone as an SMS address, and a case routed like a resident's
(by commune), with the referring organisation and alert giver. A person with a phone is
then asked for their own consent by one SMS (bot/person_consent.py). A person whose case
is still open already talks with the team: the referral joins that case, and no SMS goes.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot import person_consent
from bot.network import active_membership
from bot.outings import outing_for_referral
from bot.routing import team_for_commune
from storage.models import Case, CaseEvent, ChannelAddress, Contact
from storage.references import next_case_reference

if TYPE_CHECKING:
    from bot.effects import Context

CONSENT_TEXT_VERSION = "referral-2026-1"  # bump when the alert giver's consent question changes
SOURCE_FOR_ROLE = {"ambassador": "ambassador"}  # anyone else refers as an alert giver


def person_contact(ctx: Context, first_name: str | None, phone: str | None) -> Contact:
    """The person referred: the contact of this phone if we know it, else a new one."""
    if phone:
        known = ctx.session.scalars(select(ChannelAddress).where(
            ChannelAddress.channel == "sms", ChannelAddress.address == phone)).first()
        if known is not None:
            known.contact.first_name = known.contact.first_name or first_name
            return known.contact
    person = Contact(role="resident", language="fr", first_name=first_name, created_at=ctx.now)
    if phone:
        person.addresses.append(ChannelAddress(channel="sms", address=phone, created_at=ctx.now))
    ctx.session.add(person)
    ctx.session.flush()
    return person


def refer_person(ctx: Context, data: dict[str, Any]) -> None:
    """Create the person's case; the alert giver's thank-you names its reference."""
    member = active_membership(ctx.session, ctx.contact.id)
    person = person_contact(ctx, data.get("first_name"), data.get("phone"))
    already = open_case_of(ctx, person)
    if already is not None:
        return join_open_case(ctx, already, data, member)
    team = team_for_commune(ctx.session, data.get("commune_insee"))
    consent_at = data.get("consent_at")
    source = SOURCE_FOR_ROLE.get(ctx.contact.role, "alert_giver")
    case = Case(
        reference=next_case_reference(ctx.session, ctx.now.year), contact_id=person.id,
        source=source, channel="sms" if data.get("phone") else ctx.address.channel,  # theirs
        status="new", created_at=ctx.now,
        team_id=team.id if team else None,
        commune_insee=data.get("commune_insee"), commune_name=data.get("commune_name"),
        difficulties=data.get("difficulties", []), difficulty_note=data.get("difficulty_note"),
        purposes=data.get("purposes", []), purpose_note=data.get("purpose_note"),
        categories=data.get("categories", []),
        contact_preference="call" if data.get("phone") else None,
        contact_moments=data.get("moments", []), callback_phone=data.get("phone"),
        consent_by="alert_giver",
        consent_at=datetime.fromisoformat(consent_at) if consent_at else ctx.now,
        consent_channel=ctx.address.channel, consent_text_version=CONSENT_TEXT_VERSION,
        referrer_organisation_id=member.organisation_id if member else None,
        referrer_contact_id=ctx.contact.id,
        outing_id=outing_for_referral(ctx.session, ctx.contact.id, ctx.now),  # on the spot
    )
    ctx.session.add(case)
    ctx.session.flush()
    details = {k: data.get(k) for k in ("urgency", "reach", "note") if data.get(k)}
    ctx.session.add(CaseEvent(case_id=case.id, at=ctx.now, kind="created", actor="bot", data={
        "source": source, "channel": ctx.address.channel, "referral": details}))
    ctx.results["reference"] = case.reference
    if data.get("phone"):
        organisation = member.organisation.name if member else None
        person_consent.ask_person(ctx, case, person, organisation)


def open_case_of(ctx: Context, person: Contact) -> Case | None:
    """The person's case still open, if they already wrote to us (the newest)."""
    query = (select(Case).where(Case.contact_id == person.id, Case.status != "closed")
             .order_by(Case.id.desc()).limit(1))
    return ctx.session.scalars(query).first()


def join_open_case(ctx: Context, case: Case, data: dict[str, Any], member: Any) -> None:
    """A second referral, or the referral of someone already in touch: one case, not two.
    The first referrer stays; the programme categories add up; the details go in an event."""
    if case.referrer_contact_id is None:
        case.referrer_contact_id = ctx.contact.id
        case.referrer_organisation_id = member.organisation_id if member else None
        case.outing_id = outing_for_referral(ctx.session, ctx.contact.id, ctx.now)
    case.categories = list(dict.fromkeys([*(case.categories or []), *data.get("categories", [])]))
    details = {k: data.get(k) for k in ("urgency", "reach", "note") if data.get(k)}
    ctx.session.add(CaseEvent(case_id=case.id, at=ctx.now, kind="referred", actor="bot", data={
        "source": SOURCE_FOR_ROLE.get(ctx.contact.role, "alert_giver"),
        "organisation_id": member.organisation_id if member else None, "referral": details}))
    ctx.results["reference"] = case.reference


HANDLERS = {"refer_person": refer_person}
