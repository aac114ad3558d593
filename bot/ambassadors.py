"""A member made ambassador from the inbox is told so in the chat, once, in the daytime.

The note is written first by the service (nobody asked): it waits for the daytime
(bot.proactive) and goes to the member's latest address that has not said STOP.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import outbox
from bot.compose import compose
from flows.model import Reply
from storage.models import ChannelAddress, Contact, Message


def reachable_address(contact: Contact) -> ChannelAddress | None:
    """The address the member wrote from last (the newest), unless it said STOP."""
    open_ = [a for a in contact.addresses if a.opted_out_at is None]
    return max(open_, key=lambda a: a.id, default=None)


def tell_new_ambassador(session: Session, contact: Contact, now: datetime) -> list[Message]:
    """« Vous faites maintenant partie des ambassadeurs… écrivez SORTIE » (or nothing)."""
    from bot.proactive import next_time_to_write_first  # the holiday calendar: not at import
    address = reachable_address(contact)
    if address is None:
        return []
    reply = Reply("outing.became_ambassador", {"first_name": contact.first_name or ""})
    return outbox.queue(session, address, compose((reply,), contact.language), now,
                        not_before=next_time_to_write_first(now))
