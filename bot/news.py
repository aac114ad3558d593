"""News to the partner network: who receives it, and one outbox row per person.

Only alert givers and ambassadors who said yes to the news (NetworkMember.news_opt_in),
have not left, and have not said STOP get it; each once, on the address they last wrote
from, in daytime (bot.proactive): the rows are proactive, so they wait for the daytime
and no retry goes at night, and they carry broadcast_id, by which the delivery worker
drops a row whose person said STOP, QUITTER or no to the news in the meantime.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import outbox
from bot.compose import Outgoing
from flows.catalogue import text as catalogue_text
from flows.model import STOPPED
from storage.models import (INVITE_KINDS, Broadcast, ChannelAddress, Contact, Conversation,
                            Message, NetworkMember)


CANCELLED = "cancelled: the person no longer wants the news"  # Message.error


@dataclass(frozen=True)
class Audience:
    """Whom a broadcast is for: None means every organisation, both roles."""

    organisation_id: int | None = None
    role: str | None = None


@dataclass(frozen=True)
class Recipient:
    contact: Contact
    address: ChannelAddress


def recipients(session: Session, audience: Audience) -> list[Recipient]:
    """The people who get the news now: opted in, still members, reachable, once each."""
    members = (select(NetworkMember.contact_id)
               .where(NetworkMember.left_at.is_(None), NetworkMember.news_opt_in.is_(True)))
    if audience.organisation_id is not None:
        members = members.where(NetworkMember.organisation_id == audience.organisation_id)
    if audience.role is not None:
        members = members.where(NetworkMember.role == audience.role)
    stopped = select(Conversation.contact_id).where(Conversation.status == STOPPED)
    contacts = list(session.scalars(
        select(Contact).where(Contact.id.in_(members), Contact.role.in_(INVITE_KINDS),
                              Contact.id.not_in(stopped)).order_by(Contact.id)))
    addresses = last_addresses(session, [contact.id for contact in contacts])
    found = [Recipient(contact, addresses[contact.id]) for contact in contacts
             if contact.id in addresses]
    return [recipient for recipient in found if recipient.address.opted_out_at is None]


def last_addresses(session: Session, contact_ids: list[int]) -> dict[int, ChannelAddress]:
    """Each contact's address they last wrote from (else their first one), in two queries."""
    if not contact_ids:
        return {}
    last_in = (select(Message.channel_address_id, func.max(Message.id).label("last"))
               .where(Message.contact_id.in_(contact_ids), Message.direction == "in")
               .group_by(Message.channel_address_id).subquery())
    query = (select(ChannelAddress, last_in.c.last)
             .outerjoin(last_in, last_in.c.channel_address_id == ChannelAddress.id)
             .where(ChannelAddress.contact_id.in_(contact_ids)).order_by(ChannelAddress.id))
    best: dict[int, tuple[int, ChannelAddress]] = {}
    for address, last in session.execute(query):
        rank = last or 0
        if address.contact_id not in best or rank > best[address.contact_id][0]:
            best[address.contact_id] = (rank, address)
    return {contact_id: address for contact_id, (_rank, address) in best.items()}


def still_wanted(session: Session, row: Message, address: ChannelAddress | None) -> bool:
    """Whether queued news may still go: no STOP, QUITTER nor NOUVELLES "non" since."""
    if address is None or address.opted_out_at is not None:
        return False
    stopped = session.scalar(select(Conversation.status).where(
        Conversation.contact_id == row.contact_id)) == STOPPED
    member = session.scalar(select(NetworkMember.id).where(
        NetworkMember.contact_id == row.contact_id, NetworkMember.left_at.is_(None),
        NetworkMember.news_opt_in.is_(True)).limit(1))
    return member is not None and not stopped


def news_body(text: str, language: str) -> str:
    """The news as written, then how to stop receiving it, in the person's language."""
    return f"{text}\n\n{catalogue_text('network_news.footer', language)}"


def queue_broadcast(session: Session, broadcast: Broadcast, audience: Audience,
                    now: datetime) -> list[int]:
    """Queue the news for every recipient, held until the daytime; the outbox ids (a long
    SMS may leave in several parts, each a row)."""
    from bot.proactive import next_time_to_write_first  # holidays: loaded only when sending
    broadcast.not_before = next_time_to_write_first(now)
    ids: list[int] = []
    people = recipients(session, audience)
    for recipient in people:
        body = news_body(broadcast.text, recipient.contact.language)
        for row in outbox.queue(session, recipient.address, [Outgoing(body)], now,
                                not_before=broadcast.not_before):
            row.broadcast_id = broadcast.id
            ids.append(row.id)
    broadcast.recipients = len(people)
    session.flush()
    return ids
