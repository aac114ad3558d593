"""The outbox: replies are rows written in the same transaction as the state change.

A delivery worker (or the simulator) sends queued rows and marks them sent; nothing is
sent that was not committed, and nothing committed is forgotten.
"""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.rendering import render
from bot.compose import Outgoing
from storage.models import ChannelAddress, Contact, Message


def queue(session: Session, address: ChannelAddress, messages: Sequence[Outgoing],
          now: datetime, case_id: int | None = None, purge_after_send: bool = False,
          not_before: datetime | None = None) -> list[Message]:
    """Write outgoing messages for one address, in order.

    `not_before` makes them proactive (written first by the service): they wait until
    then (bot.proactive.next_time_to_write_first), never leave at night, even on a retry,
    and hold back none of the conversation's replies.
    """
    rows = []
    for rendered in (part for message in messages for part in render(address.channel, message)):
        row = Message(
            contact_id=address.contact_id, channel_address_id=address.id, case_id=case_id,
            direction="out", channel=address.channel, body=rendered.body,
            options=rendered.buttons, status="queued", segments=rendered.segments,
            next_attempt_at=not_before or now, proactive=not_before is not None,
            purge_after_send=purge_after_send, created_at=now,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def pending(session: Session, channel: str, address: str | None = None) -> list[Message]:
    """Queued messages of a channel (of one address), oldest first."""
    query = select(Message).where(Message.channel == channel, Message.status == "queued")
    if address is not None:
        query = query.join(ChannelAddress, Message.channel_address_id == ChannelAddress.id)
        query = query.where(ChannelAddress.address == address)
    return list(session.scalars(query.order_by(Message.id)))


def mark_sent(session: Session, message: Message, now: datetime, provider_id: str | None = None) -> None:
    """Record a send; the erasure confirmation takes the last trace of the person with it."""
    message.status, message.sent_at, message.provider_id = "sent", now, provider_id
    message.attempts += 1
    if message.purge_after_send:
        contact = session.get(Contact, message.contact_id) if message.contact_id else None
        session.delete(message)
        if contact is not None:
            session.delete(contact)
    session.flush()
