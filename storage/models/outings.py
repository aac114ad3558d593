"""Ambassadors' logbook: one row per outing (a market, a school gate, door to door…)."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .partners import Organisation
    from .people import Contact

PLACE_KINDS = ("market", "school_gate", "building_hall", "door_to_door", "drop_in", "event",
               "other")
WEATHERS = ("rain", "cold", "heat", "wind")  # None: the weather did not get in the way


class Outing(Base):
    """An outing an ambassador logged in the chat (SORTIE); referrals of that day link to it.

    Kept when the ambassador leaves or erases their data (the contact becomes NULL): the
    programme's figures (people met, places) stay true.
    """

    __tablename__ = "outings"
    __table_args__ = (Index("ix_outings_contact_id_day", "contact_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"))  # the ambassador
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)  # when it was logged
    day: Mapped[date] = mapped_column(index=True)  # that moment's date in Europe/Paris
    place_kind: Mapped[str]  # one of PLACE_KINDS
    place_note: Mapped[str | None]  # the ambassador's words for "other"
    area: Mapped[str]  # a neighbourhood or a town, as written
    commune_insee: Mapped[str | None]  # when the area names a town clearly
    people_met: Mapped[int]
    weather: Mapped[str | None]  # one of WEATHERS
    note: Mapped[str | None] = mapped_column(Text)  # "what struck me today"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ambassador: Mapped[Contact | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
