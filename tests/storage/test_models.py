"""Model behaviour that the database must enforce, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from storage.models import ChannelAddress, Contact, Conversation, Message, User


def _message(**fields: object) -> Message:
    defaults: dict[str, object] = {"direction": "in", "channel": "sms", "status": "received"}
    return Message(**(defaults | fields))


def test_provider_id_is_unique_per_channel(session: Session) -> None:
    session.add_all([_message(provider_id="SM1"), _message(provider_id="SM1", channel="telegram")])
    session.commit()
    session.add(_message(provider_id="SM1"))
    with pytest.raises(IntegrityError):
        session.commit()


def test_many_messages_may_have_no_provider_id_yet(session: Session) -> None:
    session.add_all([_message(provider_id=None) for _ in range(3)])
    session.commit()
    assert len(session.scalars(select(Message)).all()) == 3


def test_datetimes_come_back_aware_and_in_utc(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    paris_summer = timezone(timedelta(hours=2))
    moment = datetime(2026, 7, 14, 10, 30, 15, 123456, tzinfo=paris_summer)
    session.add(_message(next_attempt_at=moment))
    session.commit()
    with session_factory() as other:
        stored = other.scalars(select(Message)).one()
        assert stored.next_attempt_at == moment
        assert stored.next_attempt_at.tzinfo == timezone.utc
        assert stored.next_attempt_at.hour == 8
        assert stored.created_at.tzinfo == timezone.utc


def test_naive_datetimes_are_refused(session: Session) -> None:
    session.add(_message(next_attempt_at=datetime(2026, 1, 1, 12, 0)))
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()


def test_concurrent_update_of_a_conversation_raises_stale_data(
    session_factory: sessionmaker[Session],
) -> None:
    conversation = Conversation(flow="resident", status="active", state={})
    with session_factory.begin() as setup:
        setup.add(Contact(conversation=conversation))
    first, second = session_factory(), session_factory()
    mine = first.get(Conversation, conversation.id)
    first.commit()  # ends the read (on SQLite it holds the write lock), keeps the object
    theirs = second.get(Conversation, conversation.id)
    second.commit()
    assert mine is not None and theirs is not None and mine.version == 1
    mine.state = {"step": "commune"}
    first.commit()
    assert mine.version == 2
    theirs.state = {"step": "purpose"}
    with pytest.raises(StaleDataError):
        second.commit()
    first.close()
    second.close()


def test_erasing_a_contact_removes_addresses_and_keeps_anonymous_messages(
    session: Session,
) -> None:
    contact = Contact(addresses=[ChannelAddress(channel="sms", address="+33612345678")])
    session.add(contact)
    session.flush()
    session.add(_message(contact_id=contact.id, channel_address_id=contact.addresses[0].id))
    session.commit()
    session.delete(contact)
    session.commit()
    session.expire_all()
    assert session.scalars(select(ChannelAddress)).all() == []
    message = session.scalars(select(Message)).one()
    assert (message.contact_id, message.channel_address_id) == (None, None)


def test_channel_address_is_unique(session: Session) -> None:
    session.add_all([Contact(addresses=[ChannelAddress(channel="telegram", address="42")])
                     for _ in range(2)])
    with pytest.raises(IntegrityError):
        session.commit()


def test_user_emails_are_stored_lowercase(session: Session) -> None:
    session.add(User(email=" Marie.Dupont@Example.FR ", name="Marie", password_hash="x"))
    session.commit()
    assert session.scalars(select(User.email)).one() == "marie.dupont@example.fr"
