"""The admins' journal: who changed the shared settings (accounts, teams, catalogues), when."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, JSONDict, JSONType, utcnow

if TYPE_CHECKING:
    from .users import User


class AdminEvent(Base):
    """One administration action, e.g. ("user_created", "user:7", {"email": ...})."""

    __tablename__ = "admin_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # None: done from the command line.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str]  # "canned_created", "solution_deactivated", "password_reset"...
    subject: Mapped[str]  # what it was done to: "user:7", "team:2", "solution:4"...
    data: Mapped[JSONDict] = mapped_column(JSONType, default=dict)  # never a password

    actor: Mapped[User | None] = relationship()
