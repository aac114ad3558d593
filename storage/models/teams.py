"""Teams of coordinators and the territories they cover."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .users import User

# Territory kinds, by official code: INSEE commune code, SIREN of the EPCI,
# département number ("95", "2A", "971").
TERRITORY_KINDS = ("commune", "epci", "departement")

team_members = Table(
    "team_members",
    Base.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_team_members_user_id", "user_id"),
)


class Team(Base):
    """A team of coordinators; cases of its territories are routed to it."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    is_default: Mapped[bool] = mapped_column(default=False)  # gets cases no territory matches
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    territories: Mapped[list[TeamTerritory]] = relationship(
        back_populates="team", cascade="all, delete-orphan", passive_deletes=True
    )
    members: Mapped[list[User]] = relationship(secondary=team_members, back_populates="teams")


class TeamTerritory(Base):
    """One commune, EPCI or département covered by a team."""

    __tablename__ = "team_territories"
    __table_args__ = (
        UniqueConstraint("team_id", "kind", "code"),
        Index("ix_team_territories_kind_code", "kind", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    kind: Mapped[str]  # one of TERRITORY_KINDS
    code: Mapped[str]

    team: Mapped[Team] = relationship(back_populates="territories")
