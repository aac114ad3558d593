"""Messages the service writes first (a consent request, news to a referrer…) wait for the
daytime, never leave at night, even on a retry, and hold back no reply of the conversation."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from bot import outbox
from bot.channels.base import SendError
from bot.compose import Outgoing
from bot.delivery import drain
from bot.delivery_limits import RateLimits
from bot.proactive import next_time_to_write_first
from bot.settings import Settings
from storage.models import ChannelAddress, Message
from tests.bot.delivery.support import FakeSender, add_outbox

SATURDAY_NIGHT = datetime(2026, 3, 7, 21, 0, tzinfo=timezone.utc)  # 22:00 in Paris
MONDAY_NINE = datetime(2026, 3, 9, 8, 0, tzinfo=timezone.utc)  # 9:00 in Paris
PHONE = "+33639980101"
SETTINGS = Settings(delivery_max_attempts=5)


def run(session_factory, sender, at):
    return drain(session_factory, {"sms": sender}, lambda: at, SETTINGS, limits=RateLimits({}))


def write_first(session_factory, now, body="Des nouvelles de votre fiche.") -> int:
    """What the service writes first, queued as every such message is."""
    add_outbox(session_factory, "sms", PHONE, [], now)  # the address
    with session_factory.begin() as session:
        address = session.scalars(select(ChannelAddress).where(ChannelAddress.address == PHONE)).one()
        [row] = outbox.queue(session, address, [Outgoing(body)], now,
                             not_before=next_time_to_write_first(now))
        return row.id


def test_it_waits_for_monday_and_a_reply_goes_at_once(session_factory, db):
    proactive = write_first(session_factory, SATURDAY_NIGHT)
    assert db.get(Message, proactive).proactive
    [reply] = add_outbox(session_factory, "sms", PHONE, ["Merci, c'est noté."], SATURDAY_NIGHT)
    sender = FakeSender("sms")
    run(session_factory, sender, SATURDAY_NIGHT)
    assert sender.bodies == ["Merci, c'est noté."]  # the reply was not held back
    run(session_factory, sender, MONDAY_NINE)
    assert sender.bodies == ["Merci, c'est noté.", "Des nouvelles de votre fiche."]
    assert not db.get(Message, reply).proactive


def test_a_due_row_found_late_in_the_evening_waits_for_the_morning(session_factory, db):
    friday_six_pm = datetime(2026, 3, 6, 17, 0, tzinfo=timezone.utc)
    write_first(session_factory, friday_six_pm)
    sender = FakeSender("sms")
    run(session_factory, sender, datetime(2026, 3, 6, 19, 30, tzinfo=timezone.utc))  # worker late
    assert sender.bodies == []
    run(session_factory, sender, datetime(2026, 3, 7, 8, 0, tzinfo=timezone.utc))  # Saturday 9:00
    assert sender.bodies == ["Des nouvelles de votre fiche."]


def test_a_retry_that_would_fall_at_night_waits_for_the_morning(session_factory, db):
    friday_late = datetime(2026, 3, 6, 17, 59, 50, tzinfo=timezone.utc)  # 18:59:50 in Paris
    proactive = write_first(session_factory, friday_late)
    run(session_factory, FakeSender("sms", [SendError("busy", retry_after=60)]), friday_late)
    row = db.get(Message, proactive)
    assert row.status == "queued"
    assert row.next_attempt_at == datetime(2026, 3, 7, 8, 0, tzinfo=timezone.utc)
