"""Loading, locking and saving a contact's conversation state."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from flows import network
from flows.flow import Flow
from flows.model import State
from flows.resident import RESIDENT
from storage.models import Contact, Conversation

FLOWS: dict[str, Flow] = network.FLOWS  # every flow, by id
FLOW_FOR_ROLE = network.FLOW_FOR_ROLE


def lock_conversation(session: Session, contact: Contact, now: datetime) -> Conversation:
    """The contact's conversation, locked for this transaction (created when new).

    PostgreSQL takes a row lock; SQLite already holds the database's write lock since
    BEGIN IMMEDIATE. The version column catches anything that slips through.
    """
    query = select(Conversation).where(Conversation.contact_id == contact.id).with_for_update()
    conversation = session.scalars(query).first()
    if conversation is None:
        flow = FLOW_FOR_ROLE.get(contact.role, RESIDENT.id)
        state = State(flow=flow, language=contact.language or "fr")
        conversation = Conversation(contact_id=contact.id, flow=flow, status="active",
                                    state=state.to_json(), updated_at=now)
        session.add(conversation)
        session.flush()
    return conversation


def load_state(conversation: Conversation) -> State:
    state = State.from_json(conversation.state or {"flow": conversation.flow})
    return state if state.flow in FLOWS else State(flow=conversation.flow)


def save_state(conversation: Conversation, state: State) -> None:
    conversation.state = state.to_json()
    conversation.flow = state.flow
    conversation.status = state.status
    conversation.last_activity_at = state.last_activity
    conversation.reminded = state.reminded
