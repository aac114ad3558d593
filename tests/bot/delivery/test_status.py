"""Status callbacks: a status only moves forward, twice is once, an unknown id is ignored."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.delivery import drain, record_status
from storage.models import ChannelAddress, Message
from tests.bot.delivery.support import add_outbox


@pytest.fixture
def sent(session_factory, clock, settings, sms, no_waits) -> int:
    """A message the provider accepted as "sms-1"."""
    [message_id] = add_outbox(session_factory, "sms", "+33639981234", ["Bonjour"], clock.now)
    drain(session_factory, {"sms": sms}, clock, settings, limits=no_waits)
    return message_id


def test_delivered_is_recorded_with_its_time(session_factory, db, clock, sent):
    clock.advance(seconds=4)
    assert record_status(session_factory, "sms", "sms-1", "delivered", None, clock.now)
    row = db.get(Message, sent)
    assert (row.status, row.delivered_at) == ("delivered", clock.now)


def test_callbacks_out_of_order_never_go_backwards(session_factory, db, clock, sent):
    for status in ("sent", "delivered", "sending", "sent", "queued", "failed"):
        assert record_status(session_factory, "sms", "sms-1", status, None, clock.now)
    assert db.get(Message, sent).status == "delivered"


def test_the_same_callback_twice_changes_nothing_the_second_time(session_factory, db, clock, sent):
    record_status(session_factory, "sms", "sms-1", "delivered", None, clock.now)
    first = db.get(Message, sent)
    clock.advance(minutes=5)
    record_status(session_factory, "sms", "sms-1", "delivered", None, clock.now)
    again = db.get(Message, sent)
    assert (again.status, again.delivered_at) == (first.status, first.delivered_at)


def test_undelivered_keeps_the_error_code(session_factory, db, clock, sent):
    record_status(session_factory, "sms", "sms-1", "undelivered", "30003", clock.now)
    row = db.get(Message, sent)
    assert (row.status, row.error) == ("undelivered", "code 30003")
    assert db.get(ChannelAddress, row.channel_address_id).opted_out_at is None


def test_error_21610_means_the_person_opted_out(session_factory, db, clock, sent):
    record_status(session_factory, "sms", "sms-1", "failed", "21610", clock.now + timedelta(seconds=1))
    row = db.get(Message, sent)
    assert (row.status, row.error) == ("failed", "code 21610")
    assert db.get(ChannelAddress, row.channel_address_id).opted_out_at == clock.now + timedelta(seconds=1)


def test_an_unknown_id_is_acknowledged_and_ignored(session_factory, clock, sent):
    assert not record_status(session_factory, "sms", "SM-unknown", "delivered", None, clock.now)
    assert not record_status(session_factory, "telegram", "sms-1", "delivered", None, clock.now)


def test_an_unknown_status_changes_nothing(session_factory, db, clock, sent):
    assert record_status(session_factory, "sms", "sms-1", "partially_delivered", None, clock.now)
    assert db.get(Message, sent).status == "sent"
