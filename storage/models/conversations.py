"""The current conversation of each contact with the bot."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, JSONDict, JSONType, utcnow

if TYPE_CHECKING:
    from .people import Contact


class Conversation(Base):
    """Where a contact is in a flow; `version` guards against concurrent updates.

    Two workers handling messages of one contact at once both load version N; the
    second to commit gets StaleDataError (UPDATE ... WHERE version = N matches no
    row) and must reload and retry.
    """

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), unique=True
    )
    flow: Mapped[str]
    status: Mapped[str]  # the engine's statuses: active, done, with_human, stopped, expired
    state: Mapped[JSONDict] = mapped_column(JSONType, default=dict)
    last_activity_at: Mapped[datetime | None] = mapped_column(index=True)
    reminded: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    contact: Mapped[Contact] = relationship(back_populates="conversation")

    __mapper_args__ = {"version_id_col": version}
