"""People who write to the service and the channel addresses they write from."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .conversations import Conversation

CONTACT_ROLES = ("resident", "alert_giver", "ambassador")
CHANNELS = ("sms", "telegram", "sms-sim", "telegram-sim")


class Contact(Base):
    """A person: a resident, an alert giver or an ambassador."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(default="resident")  # one of CONTACT_ROLES
    language: Mapped[str] = mapped_column(default="fr")
    first_name: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    addresses: Mapped[list[ChannelAddress]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", passive_deletes=True
    )
    conversation: Mapped[Conversation | None] = relationship(
        back_populates="contact", cascade="all, delete-orphan", passive_deletes=True
    )


class ChannelAddress(Base):
    """Where a contact is reached: a channel and an address (E.164 phone, chat id)."""

    __tablename__ = "channel_addresses"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str]  # one of CHANNELS
    address: Mapped[str]
    opted_out_at: Mapped[datetime | None]  # set by STOP: nothing is sent until START
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contact: Mapped[Contact] = relationship(back_populates="addresses")


# The list's search on PostgreSQL (inbox/cases/search.py): trigram indexes serve ILIKE.
Index("ix_contacts_first_name_trgm", Contact.first_name, postgresql_using="gin",
      postgresql_ops={"first_name": "gin_trgm_ops"}).ddl_if(dialect="postgresql")
Index("ix_channel_addresses_address_trgm", ChannelAddress.address, postgresql_using="gin",
      postgresql_ops={"address": "gin_trgm_ops"}).ddl_if(dialect="postgresql")
# On SQLite the search scans first names in this covering index, smaller than the rows.
Index("ix_contacts_first_name", Contact.first_name).ddl_if(dialect="sqlite")
# An address whatever its channel (a whole phone number typed in the search), with its
# person; SQLite also scans it for part of a number.
Index("ix_channel_addresses_address_contact", ChannelAddress.address, ChannelAddress.contact_id)
