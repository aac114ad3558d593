"""Delivery status callbacks (Twilio's StatusCallback): the provider's word on a sent row.

Callbacks may arrive twice and out of order, so a status only ever moves up the RANK:
a late "sent" never undoes "delivered", and the same (id, status) twice changes nothing.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import ChannelAddress, Message

# The provider's statuses in our words. "accepted", "scheduled", "queued" and "sending"
# all mean "in the provider's hands", which our "sent" already says.
PROVIDER_STATUSES = {
    "accepted": "sent", "scheduled": "sent", "queued": "sent", "sending": "sent", "sent": "sent",
    "delivered": "delivered", "read": "delivered",
    "undelivered": "undelivered", "failed": "failed", "canceled": "failed",
}
RANK = {"queued": 0, "sending": 1, "sent": 2, "failed": 3, "undelivered": 3, "delivered": 4}
OPTED_OUT_CODE = "21610"  # Twilio: the person replied STOP to this sender


def record_status(session_factory: sessionmaker[Session], channel: str, provider_id: str,
                  status: str, error_code: str | None, now: datetime) -> bool:
    """Apply a status callback; False when no row has this provider id (ignore it)."""
    ours = PROVIDER_STATUSES.get(status.lower())
    with session_factory.begin() as session:
        row = session.scalars(select(Message).where(
            Message.channel == channel, Message.direction == "out",
            Message.provider_id == provider_id)).first()
        if row is None:
            return False
        if ours is None or RANK[ours] <= RANK.get(row.status, 0):
            return True
        row.status = ours
        if ours == "delivered":
            row.delivered_at = now
        elif ours in ("failed", "undelivered"):
            row.error = f"code {error_code}" if error_code else status.lower()
            if str(error_code) == OPTED_OUT_CODE:
                _opt_out(session, row, now)
        return True


def _opt_out(session: Session, row: Message, now: datetime) -> None:
    """The provider refuses to write to this address again: mark it opted out."""
    address = session.get(ChannelAddress, row.channel_address_id) if row.channel_address_id else None
    if address is not None and address.opted_out_at is None:
        address.opted_out_at = now
