"""Helpers of the delivery tests: a fake sender that counts, an outbox to fill."""
from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import ChannelAddress, Contact, Message


class FakeSender:
    """A Sender that records every call; `script` gives the outcome of the next calls.

    A script item is a SendError (raised), another exception (raised) or None (success).
    """

    def __init__(self, channel: str, script: Sequence[Exception | None] = ()):
        self.channel = channel
        self.script = list(script)
        self.calls: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def send(self, address: str, body: str, buttons: list[dict[str, str]] | None) -> str:
        with self._lock:
            self.calls.append((address, body))
            outcome = self.script.pop(0) if self.script else None
            number = len(self.calls)
        if outcome is not None:
            raise outcome
        return f"{self.channel}-{number}"

    @property
    def bodies(self) -> list[str]:
        return [body for _, body in self.calls]


def add_outbox(session_factory: sessionmaker[Session], channel: str, address: str,
               bodies: Sequence[str], now: datetime, **columns) -> list[int]:
    """Queue messages for an address (created if new), as the runtime would; their ids."""
    with session_factory.begin() as session:
        row = session.scalars(select(ChannelAddress).where(
            ChannelAddress.channel == channel, ChannelAddress.address == address)).first()
        if row is None:
            row = ChannelAddress(channel=channel, address=address, contact=Contact())
            session.add(row)
            session.flush()
        messages = [Message(contact_id=row.contact_id, channel_address_id=row.id, direction="out",
                            channel=channel, body=body, status="queued", next_attempt_at=now,
                            created_at=now, **columns) for body in bodies]
        session.add_all(messages)
        session.flush()
        return [message.id for message in messages]


def statuses(db, ids: Sequence[int]) -> list[str]:
    """The status of each row, in the order of ids."""
    return [db.get(Message, message_id).status for message_id in ids]
