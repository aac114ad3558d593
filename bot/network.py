"""The turn of a message, partner network included: invite codes, then the role's flow.

An invite code (`/start CODE`, "PARTENAIRE CODE") is looked up here, outside the pure
engine, and answered by `flows.alert_giver.use_invite`; any other message goes to the
engine in the flow of the contact's role (`flows.network.state_for_role`). MES DEMANDES
lists the contact's own referrals (`flows.my_referrals`), loaded here.

Guessing codes is slowed down per address with a counter in the database, so the limit
holds across web processes and machines: after MAX_FAILED_TRIES wrong codes within
TRIES_WINDOW, codes from that address are not looked up any more until the window passes.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot import referrer_feedback
from flows import engine, invites, my_referrals
from flows.alert_giver import use_invite
from flows.model import Inbound, State, Step
from flows.network import FLOWS, state_for_role
from storage.models import ChannelAddress, Contact, InviteAttempt, InviteCode, NetworkMember

MAX_FAILED_TRIES = 5
TRIES_WINDOW = timedelta(hours=1)
KEEP_ATTEMPTS = timedelta(days=1)


def next_step(session: Session, contact: Contact, address: ChannelAddress, state: State,
              inbound: Inbound, now: datetime) -> Step:
    """What the bot does with this message: join with a code, or the next step of a flow."""
    code = invites.invite_code_in(inbound)
    if code is not None:
        check = check_invite(session, contact, address, code, now) if code else None
        return use_invite(state, check, now, inbound.language_hint)
    state = state_for_role(contact.role, state)
    if my_referrals.is_asked(contact.role, FLOWS[state.flow], state, inbound):
        referrals = referrer_feedback.referrals_of(session, contact.id, my_referrals.SHOWN)
        return my_referrals.listing(FLOWS[state.flow], state, referrals, now)
    return engine.advance(FLOWS[state.flow], state, inbound, now)


def active_membership(session: Session, contact_id: int) -> NetworkMember | None:
    query = (select(NetworkMember).where(NetworkMember.contact_id == contact_id,
                                         NetworkMember.left_at.is_(None))
             .order_by(NetworkMember.id.desc()).limit(1))
    return session.scalars(query).first()


def check_invite(session: Session, contact: Contact, address: ChannelAddress, code: str,
                 now: datetime) -> invites.InviteCheck:
    """Look a code up for this address, counting the attempt."""
    member = active_membership(session, contact.id)
    if member is not None:
        return invites.InviteCheck(invites.ALREADY_MEMBER, organisation=member.organisation.name)
    if failed_tries(session, address.id, now) >= MAX_FAILED_TRIES:
        record_attempt(session, address.id, now, succeeded=False)
        return invites.InviteCheck(invites.TOO_MANY_TRIES)
    invite = session.scalars(select(InviteCode).where(InviteCode.code == code)).first()
    check = status_of(invite, code, now)
    record_attempt(session, address.id, now, succeeded=check.status == invites.VALID)
    return check


def status_of(invite: InviteCode | None, code: str, now: datetime) -> invites.InviteCheck:
    """Whether a code found (or not) lets someone join now."""
    if invite is None:
        return invites.InviteCheck(invites.UNKNOWN, code=code)
    if invite.revoked_at is not None:
        return invites.InviteCheck(invites.REVOKED, code=code)
    if invite.expires_at is not None and invite.expires_at <= now:
        return invites.InviteCheck(invites.EXPIRED, code=code)
    return invites.InviteCheck(invites.VALID, code=code, code_id=invite.id,
                               organisation_id=invite.organisation_id,
                               organisation=invite.organisation.name, role=invite.kind)


def failed_tries(session: Session, address_id: int, now: datetime) -> int:
    query = select(func.count()).select_from(InviteAttempt).where(
        InviteAttempt.channel_address_id == address_id, InviteAttempt.at > now - TRIES_WINDOW,
        InviteAttempt.succeeded.is_(False))
    return session.scalar(query) or 0


def record_attempt(session: Session, address_id: int, now: datetime, succeeded: bool) -> None:
    """Count this attempt; attempts older than a day are of no use any more."""
    session.execute(delete(InviteAttempt).where(
        InviteAttempt.channel_address_id == address_id, InviteAttempt.at < now - KEEP_ATTEMPTS))
    session.add(InviteAttempt(channel_address_id=address_id, at=now, succeeded=succeeded))
