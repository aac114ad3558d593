"""The inbound queue: what a webhook stored, waiting for the worker to handle it.

A webhook authenticates, parses, inserts one row and commits before answering; the
worker handles the row through the runtime and deletes it in that same transaction. A
row lives seconds: it holds what the person wrote only until it is handled.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONDict, JSONType, utcnow


class InboundQueueItem(Base):
    """One inbound message not handled yet.

    (channel, provider_id) is unique: a provider's replay of a message still queued
    inserts nothing. `address` orders the work: one person's messages are handled one at a
    time, oldest first.
    """

    __tablename__ = "inbound_queue"
    __table_args__ = (
        UniqueConstraint("channel", "provider_id"),
        Index("ix_inbound_queue_channel_address_id", "channel", "address", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str]
    address: Mapped[str]
    provider_id: Mapped[str | None]
    message: Mapped[JSONDict] = mapped_column(JSONType)  # the neutral InboundMessage
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
