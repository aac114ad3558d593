"""The runtime: a neutral inbound message in, a saved state and queued replies out.

    message → contact (found or created by channel and address) → its conversation,
    locked → the engine → effects, new state and outbox rows, in one transaction.

Webhooks acknowledge once the message is committed to the inbound queue; the worker
then hands it here with a `claim` that deletes its queue row in this same transaction
(bot.inbound_worker). A replayed provider id does nothing. If handling fails, the message
is still stored, so nothing a person wrote is lost, and the failure is logged without
personal data.

Queries of an ordinary message: the replay check, the address with its contact, the
conversation locked once, the open case looked up once, then the writes.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bot import effects, handover, network, outbox
from bot.compose import compose
from bot.conversations import load_state, lock_conversation, save_state
from bot.inbound import InboundMessage
from flows.model import ServiceContact
from storage.models import ChannelAddress, Contact, Message

log = logging.getLogger(__name__)
ATTEMPTS = 3  # a concurrent first message or version clash is simply tried again
Claim = Callable[[Session], bool]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Handled:
    """What became of an inbound message."""

    message_id: int | None = None
    replies: list[int] = field(default_factory=list)  # outgoing message ids, in order
    duplicate: bool = False
    failed: bool = False


class Runtime:
    """Handles inbound messages against the database; `clock` is injectable for tests."""

    def __init__(self, session_factory: sessionmaker, clock: Callable[[], datetime] = utcnow,
                 reopen_closed_cases: bool = False, service: ServiceContact | None = None):
        self.session_factory = session_factory
        self.clock = clock
        self.reopen_closed_cases = reopen_closed_cases  # else a new case, linked to the old
        self.service = service or ServiceContact()  # the number and link alert givers pass on

    def receive(self, message: InboundMessage, claim: Claim | None = None) -> Handled:
        """Handle the message; `claim` (the inbound queue's) runs first in the transaction,
        and a False from it means another worker handled this message already."""
        for attempt in range(ATTEMPTS):
            try:
                with self.session_factory.begin() as session:
                    if claim is not None and not claim(session):
                        return Handled(duplicate=True)
                    if self._seen(session, message):
                        return Handled(duplicate=True)
                    return self._handle(session, message, self.clock())
            except (IntegrityError, StaleDataError):
                if attempt == ATTEMPTS - 1:
                    break
            except Exception:
                log.exception("handling failed on channel %s", message.channel)
                break
        return self._keep_only(message, claim)

    def _seen(self, session: Session, message: InboundMessage) -> bool:
        if message.provider_id is None:
            return False
        query = select(Message.id).where(
            Message.channel == message.channel, Message.direction == "in",
            Message.provider_id == message.provider_id)
        return session.scalar(query) is not None

    def _handle(self, session: Session, message: InboundMessage, now: datetime) -> Handled:
        address = find_or_create_address(session, message)
        contact = address.contact
        conversation = lock_conversation(session, contact, now)
        case = handover.case_for_new_message(session, contact, now, reopen=self.reopen_closed_cases,
                                             inbound=message.for_engine(), conversation=conversation)
        state = load_state(conversation)
        row = Message(
            contact_id=contact.id, channel_address_id=address.id, direction="in",
            channel=message.channel, body=message.stored_body(), provider_id=message.provider_id,
            media=list(message.media) or None, status="received", created_at=now,
            case_id=case.id if case else None,
        )
        session.add(row)
        session.flush()
        inbound = replace(message.for_engine(), service=self.service)
        step = network.next_step(session, contact, address, state, inbound, now)
        ctx = effects.Context(session, contact, address, now, case=case)
        results = effects.apply(ctx, step.effects)
        save_state(conversation, step.state)
        messages = compose(step.replies, step.state.language, results)
        if message.provider_confirms_stop and any(e.kind == "opt_out" for e in step.effects):
            messages = []  # one confirmation, not two
        case = None if ctx.purge_replies else ctx.case  # the effects may have opened one
        handover.person_wrote(session, case, now)
        case_id = case.id if case else None
        replies = outbox.queue(session, address, messages, now, case_id=case_id,
                               purge_after_send=ctx.purge_replies)
        return Handled(row.id, [r.id for r in replies])

    def _keep_only(self, message: InboundMessage, claim: Claim | None) -> Handled:
        """Handling failed: store what the person wrote for the team to see."""
        try:
            with self.session_factory.begin() as session:
                if claim is not None and not claim(session):
                    return Handled(duplicate=True)
                if self._seen(session, message):
                    return Handled(duplicate=True)
                address = find_or_create_address(session, message)
                row = Message(
                    contact_id=address.contact_id, channel_address_id=address.id,
                    direction="in", channel=message.channel, body=message.stored_body(),
                    provider_id=message.provider_id, status="received",
                    error="not handled by the bot", created_at=self.clock(),
                )
                session.add(row)
                session.flush()
                return Handled(row.id, failed=True)
        except IntegrityError:
            return Handled(duplicate=True)


def find_or_create_address(session: Session, message: InboundMessage) -> ChannelAddress:
    query = (select(ChannelAddress).options(joinedload(ChannelAddress.contact))
             .where(ChannelAddress.channel == message.channel,
                    ChannelAddress.address == message.address))
    address = session.scalars(query).first()
    if address is None:
        contact = Contact(role="resident", language="fr")
        address = ChannelAddress(channel=message.channel, address=message.address, contact=contact)
        session.add(address)
        session.flush()
    return address
