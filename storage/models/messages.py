"""Every message in and out; outgoing rows are the outbox the delivery worker drains."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONList, JSONType, utcnow

DIRECTIONS = ("in", "out")
# "received" for inbound; outbound: queued -> sending -> sent -> delivered,
# or failed / undelivered (as told by the provider's status callback).
MESSAGE_STATUSES = ("received", "queued", "sending", "sent", "delivered", "failed", "undelivered")


class Message(Base):
    """One inbound or outbound message on one channel.

    (channel, direction, provider_id) is unique: a provider's replayed webhook is detected by
    the insert failing. Rows without a provider id yet (queued) may be many.
    """

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "direction", "provider_id"),
        Index("ix_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    channel_address_id: Mapped[int | None] = mapped_column(
        ForeignKey("channel_addresses.id", ondelete="SET NULL"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    # News to the partner network (storage/models/broadcasts.py), for its progress page.
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="SET NULL"), index=True
    )
    direction: Mapped[str]  # one of DIRECTIONS
    channel: Mapped[str]
    body: Mapped[str] = mapped_column(Text, default="")
    # Outgoing: [{"id", "label", "pictogram"}] for the adapter to render as buttons.
    options: Mapped[JSONList | None] = mapped_column(JSONType)
    media: Mapped[JSONList | None] = mapped_column(JSONType)
    provider_id: Mapped[str | None]
    status: Mapped[str]  # one of MESSAGE_STATUSES
    segments: Mapped[int | None]
    error: Mapped[str | None]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    # Written first by the service (a consent request, news…): it waits for the daytime
    # and never holds back the replies of the conversation (bot/delivery_claims.py).
    proactive: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The erasure confirmation: deleted together with its address once sent.
    purge_after_send: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]


# Search by the words of messages (inbox/cases/filters.py): on PostgreSQL a trigram index
# serves the ILIKE '%mot%' as written; SQLite has no such index and reads each listed
# case's own messages instead. PostgreSQL only: see storage.migrate.include_object.
Index("ix_messages_body_trgm", Message.body, postgresql_using="gin",
      postgresql_ops={"body": "gin_trgm_ops"}).ddl_if(dialect="postgresql")
