"""Calls to the voice line: how far each one went, so a hang-up is told from a message.

Twilio tells us about one call in several requests (the call, the key pressed, the
recording, the hang-up) that may arrive in any order and more than once. This row holds
the call's stage, and the caller's number only while the call may still leave a case
(a recording's status callback does not carry it); it is cleared once the case is made.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

# menu: the welcome was played; recording: the caller reached the beep; sms: they chose
# to continue by SMS; recorded / call_back: the call left its case (the end of the line).
CALL_STAGES = ("menu", "recording", "sms", "recorded", "call_back")


class VoiceCall(Base):
    """One call to the line, by Twilio's CallSid."""

    __tablename__ = "voice_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(unique=True)
    stage: Mapped[str] = mapped_column(default="menu")  # one of CALL_STAGES
    caller: Mapped[str | None]  # E.164; None once the call has left its case
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
