"""Accounts of the web inbox: coordinators and admins."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .base import Base, utcnow
from .teams import team_members

if TYPE_CHECKING:
    from .teams import Team

USER_ROLES = ("coordinator", "admin")


def normalize_email(email: str) -> str:
    """The form an email is stored and looked up in: trimmed, lowercase."""
    return email.strip().lower()


class User(Base):
    """A coordinator or an admin who signs in to the inbox."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(unique=True)  # always normalize_email()d
    name: Mapped[str]
    password_hash: Mapped[str]
    role: Mapped[str] = mapped_column(default="coordinator")  # one of USER_ROLES
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    teams: Mapped[list[Team]] = relationship(secondary=team_members, back_populates="members")

    @validates("email")
    def _normalize_email(self, _key: str, email: str) -> str:
        """Store emails lowercase so that sign-in is case-insensitive."""
        return normalize_email(email)
