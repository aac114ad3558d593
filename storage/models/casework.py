"""What coordinators work with around a case: notes, canned replies, the catalogue of
solutions they orient people to, and the API tokens of partner tools."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .teams import Team
    from .users import User


class Note(Base):
    """A private note on a case: for the team only, never sent to anyone."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class CannedReply(Base):
    """A ready-made answer; its body may hold {prenom} and {reference}."""

    __tablename__ = "canned_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    body: Mapped[str] = mapped_column(Text)
    # None: offered to every team; otherwise to this team only.
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]  # the last reply sent from it
    archived_at: Mapped[datetime | None]  # removed after use: kept, no longer offered

    team: Mapped[Team | None] = relationship()


class Solution(Base):
    """A solution of the orientation catalogue the admins manage (e.g. "Garage solidaire")."""

    __tablename__ = "solutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    kind: Mapped[str]  # a stable code: "advice", "driving_school", "bike_rental"...
    active: Mapped[bool] = mapped_column(default=True)  # inactive: kept for old cases only
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """A token of the JSON API, acting as its user; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str]  # what the token is for, e.g. "export tableur"
    token_hash: Mapped[str] = mapped_column(unique=True)  # hex SHA-256 of the token
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
