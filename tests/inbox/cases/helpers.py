"""Small builders for the case domain's tests."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Case, ChannelAddress, Contact, Message
from storage.references import next_case_reference

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def make_case(session: Session, team_id: int | None, *, address: str | None = None,
              channel: str = "sms-sim", first_name: str | None = None,
              messages: tuple[str, ...] = (), **fields: Any) -> Case:
    """A case straight in the tables, with its contact, an address and inbound messages."""
    contact = Contact(first_name=first_name)
    if address is not None:
        contact.addresses.append(ChannelAddress(channel=channel, address=address))
    session.add(contact)
    session.flush()
    created = fields.pop("created_at", T0)
    case = Case(reference=next_case_reference(session, created.year), contact_id=contact.id,
                source=fields.pop("source", "self"), channel=channel, team_id=team_id,
                created_at=created, **fields)
    session.add(case)
    session.flush()
    for body in messages:
        session.add(Message(contact_id=contact.id, case_id=case.id, direction="in",
                            channel=channel, body=body, status="received", created_at=created,
                            channel_address_id=contact.addresses[0].id if contact.addresses else None))
    session.flush()
    return case


def outbox_count(session: Session) -> int:
    """How many outgoing messages exist."""
    return session.scalar(select(func.count()).select_from(Message).where(Message.direction == "out"))
