"""News sent to the partner network: one Broadcast, one outbox Message per recipient."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .partners import Organisation
    from .users import User

# Whom a broadcast is for: members of either role, or of one role only.
BROADCAST_ROLES = ("alert_giver", "ambassador")


class Broadcast(Base):
    """News written in the inbox for the alert givers and ambassadors who opted in.

    Its outbox rows carry Message.broadcast_id: the progress (waiting for the daytime,
    sent, delivered, failed) is counted from them.
    """

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The audience: None for everyone (every organisation, both roles).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[str | None]  # one of BROADCAST_ROLES
    recipients: Mapped[int] = mapped_column(default=0)  # messages queued, one per person
    not_before: Mapped[datetime]  # when it may first go (the next daytime)
    # The confirmation form's one-time token: sending twice by a double click is refused.
    token: Mapped[str] = mapped_column(unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    author: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
