"""The partner network: organisations, their invite codes, and the people who joined."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .people import ChannelAddress, Contact

ORGANISATION_KINDS = (
    "caf", "ccas", "france_travail", "mission_locale", "social_landlord", "energy_advice",
    "disability_association", "senior_services", "migrants_association", "france_services",
    "town_hall", "other",
)
# What an invite code makes of the person who uses it (a Contact role).
INVITE_KINDS = ("alert_giver", "ambassador")


class Organisation(Base):
    """A partner organisation whose staff or volunteers pass situations on to the team."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    kind: Mapped[str]  # one of ORGANISATION_KINDS
    # Where it works, coded like a team's territories: commune, epci or departement.
    territory_kind: Mapped[str | None]
    territory_code: Mapped[str | None]
    contact_name: Mapped[str | None]  # the person the team talks to there
    contact_email: Mapped[str | None]
    contact_phone: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    invite_codes: Mapped[list[InviteCode]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", passive_deletes=True,
        order_by="InviteCode.id.desc()",
    )
    members: Mapped[list[NetworkMember]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", passive_deletes=True,
        order_by="NetworkMember.joined_at",
    )


class InviteCode(Base):
    """A short code that lets someone join an organisation's network from the chat."""

    __tablename__ = "invite_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(unique=True)  # upper case, no look-alike characters
    kind: Mapped[str]  # one of INVITE_KINDS
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]  # None: never expires
    revoked_at: Mapped[datetime | None]
    uses: Mapped[int] = mapped_column(default=0)  # people who joined with it

    organisation: Mapped[Organisation] = relationship(back_populates="invite_codes")


class NetworkMember(Base):
    """A contact who joined an organisation as alert giver or ambassador; kept after leaving."""

    __tablename__ = "network_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    invite_code_id: Mapped[int | None] = mapped_column(
        ForeignKey("invite_codes.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[str]  # one of INVITE_KINDS; the first name is the contact's
    job_title: Mapped[str | None]  # "conseillère emploi", "bénévole"…
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]  # QUITTER
    # Said yes to the network's news (asked when joining, NOUVELLES to change): never assumed.
    news_opt_in: Mapped[bool] = mapped_column(default=False, server_default=false())

    contact: Mapped[Contact] = relationship()
    organisation: Mapped[Organisation] = relationship(back_populates="members")


class InviteAttempt(Base):
    """A code tried from an address; failed ones count towards the guessing limit."""

    __tablename__ = "invite_attempts"
    __table_args__ = (Index("ix_invite_attempts_channel_address_id_at", "channel_address_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_address_id: Mapped[int] = mapped_column(
        ForeignKey("channel_addresses.id", ondelete="CASCADE")
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    succeeded: Mapped[bool] = mapped_column(default=False)

    address: Mapped[ChannelAddress] = relationship()
