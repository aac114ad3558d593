"""The sweep over idle conversations: one gentle reminder, then expiry.

Each conversation is handled in its own short transaction, with the same lock and the
same effects as an inbound message, so a reminder never crosses a reply.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot import effects, outbox
from bot.compose import compose
from bot.conversations import FLOWS, load_state, save_state
from bot.proactive import may_write_first
from bot.settings import Settings
from flows import engine
from flows.model import ACTIVE
from storage.models import ChannelAddress, Contact, Conversation, Message


def sweep(session_factory: sessionmaker[Session], settings: Settings, now: datetime) -> int:
    """Remind or expire what is due; returns how many conversations changed."""
    reminding = may_write_first(now)
    due = _due(session_factory, settings, now, reminding)
    return sum(_touch(session_factory, settings, now, conversation_id) for conversation_id in due)


def _due(session_factory: sessionmaker[Session], settings: Settings, now: datetime,
         reminding: bool) -> list[int]:
    expiring = Conversation.last_activity_at <= now - settings.expire_after
    if reminding:
        idle = (Conversation.last_activity_at <= now - settings.remind_after) & ~Conversation.reminded
        expiring = or_(expiring, idle)
    quiet = [flow.id for flow in FLOWS.values() if not flow.reminds]  # never due: not read
    query = select(Conversation.id).where(Conversation.status == ACTIVE,
                                          Conversation.flow.not_in(quiet), expiring)
    with session_factory() as session:
        return list(session.scalars(query.order_by(Conversation.id)))


def _touch(session_factory: sessionmaker[Session], settings: Settings, now: datetime,
           conversation_id: int) -> bool:
    with session_factory.begin() as session:
        query = select(Conversation).where(Conversation.id == conversation_id).with_for_update()
        conversation = session.scalars(query).first()
        if conversation is None:
            return False
        state = load_state(conversation)
        step = engine.remind(FLOWS[state.flow], state, now, settings.remind_after, settings.expire_after)
        if step is None:
            return False
        contact = session.get(Contact, conversation.contact_id)
        address = last_address(session, contact)
        ctx = effects.Context(session, contact, address, now)
        effects.apply(ctx, step.effects)
        save_state(conversation, step.state)
        if step.replies and address.opted_out_at is None and may_write_first(now):
            outbox.queue(session, address, compose(step.replies, step.state.language), now,
                         case_id=effects.open_case_id(session, contact.id))
        return True


def last_address(session: Session, contact: Contact) -> ChannelAddress:
    """The address the person last wrote from."""
    query = (select(ChannelAddress).join(Message, Message.channel_address_id == ChannelAddress.id)
             .where(ChannelAddress.contact_id == contact.id, Message.direction == "in")
             .order_by(Message.id.desc()).limit(1))
    return session.scalars(query).first() or contact.addresses[0]
