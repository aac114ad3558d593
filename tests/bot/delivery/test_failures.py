"""What a failed send becomes: a wait (429), a retry with backoff, or a failure kept."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.channels.base import SendError
from bot.delivery import backoff, claim, drain
from storage.models import ChannelAddress, Message
from tests.bot.delivery.support import FakeSender, add_outbox, statuses


def run(session_factory, sender, clock, settings, limits):
    return drain(session_factory, {sender.channel: sender}, clock, settings, limits=limits)


def test_429_waits_as_asked_without_using_up_the_attempts(session_factory, db, clock, settings, no_waits):
    sender = FakeSender("telegram", [SendError("Too Many Requests", code="429", retry_after=3)])
    [message_id] = add_outbox(session_factory, "telegram", "424242", ["Bonjour"], clock.now)

    report = run(session_factory, sender, clock, settings, no_waits)
    row = db.get(Message, message_id)
    assert (row.status, row.attempts, row.next_attempt_at) == ("queued", 0, clock.now + timedelta(seconds=3))
    assert report.retry_at == clock.now + timedelta(seconds=3) and report.retried == 1

    clock.advance(seconds=2)
    assert run(session_factory, sender, clock, settings, no_waits).sent == 0
    clock.advance(seconds=1)
    assert run(session_factory, sender, clock, settings, no_waits).sent == 1
    assert len(sender.calls) == 2 and db.get(Message, message_id).status == "sent"


def test_transient_failures_back_off_then_fail_with_the_reason_kept(session_factory, db, clock, settings, no_waits):
    outage = SendError("Service Unavailable", code="503")
    sender = FakeSender("sms", [outage] * 5)
    [message_id] = add_outbox(session_factory, "sms", "+33639981234", ["Bonjour"], clock.now)

    waits = []
    for attempt in (1, 2):
        run(session_factory, sender, clock, settings, no_waits)
        row = db.get(Message, message_id)
        assert (row.status, row.attempts, row.error) == ("queued", attempt, "503: Service Unavailable")
        waits.append(row.next_attempt_at - clock.now)
        clock.now = row.next_attempt_at
    assert timedelta(seconds=1.5) <= waits[0] <= timedelta(seconds=2.5)  # 2 s ± 25 %
    assert timedelta(seconds=3) <= waits[1] <= timedelta(seconds=5)  # 4 s ± 25 %

    run(session_factory, sender, clock, settings, no_waits)  # third attempt of 3
    row = db.get(Message, message_id)
    assert (row.status, row.attempts, row.error) == ("failed", 3, "503: Service Unavailable")
    clock.advance(hours=1)
    assert run(session_factory, sender, clock, settings, no_waits).sent == 0 and len(sender.calls) == 3


def test_an_unexpected_exception_of_a_sender_is_a_transient_failure(session_factory, db, clock, settings, no_waits):
    sender = FakeSender("sms", [ConnectionResetError("peer reset")])
    [message_id] = add_outbox(session_factory, "sms", "+33639981234", ["Bonjour"], clock.now)
    run(session_factory, sender, clock, settings, no_waits)
    row = db.get(Message, message_id)
    assert (row.status, row.attempts, row.error) == ("queued", 1, "ConnectionResetError")


@pytest.mark.parametrize("attempts, low, high", [(1, 1.5, 2.5), (3, 6, 10), (9, 384, 600), (30, 450, 600)])
def test_backoff_doubles_with_jitter_and_a_cap(attempts, low, high):
    for _ in range(20):
        assert low <= backoff(attempts).total_seconds() <= high


def test_blocked_fails_and_opts_the_address_out(session_factory, db, clock, settings, no_waits):
    sender = FakeSender("telegram", [SendError("Forbidden: bot was blocked by the user", code="403",
                                               blocked=True)])
    [message_id] = add_outbox(session_factory, "telegram", "424242", ["Bonjour"], clock.now)
    run(session_factory, sender, clock, settings, no_waits)
    row = db.get(Message, message_id)
    assert (row.status, row.error) == ("failed", "blocked: 403")
    assert db.get(ChannelAddress, row.channel_address_id).opted_out_at == clock.now


def test_permanent_fails_at_once(session_factory, db, clock, settings, no_waits):
    sender = FakeSender("sms", [SendError("The 'To' number is not a valid phone number.", code="21211",
                                          permanent=True)])
    ids = add_outbox(session_factory, "sms", "+3300", ["Bonjour", "Suite"], clock.now)
    run(session_factory, sender, clock, settings, no_waits)
    row = db.get(Message, ids[0])
    assert (row.status, row.error) == ("failed", "21211: The 'To' number is not a valid phone number.")
    assert statuses(db, ids) == ["failed", "sent"]  # a failure does not hold the conversation


def test_a_message_waiting_for_its_retry_holds_back_the_next_ones(session_factory, db, clock, settings, no_waits):
    sender = FakeSender("sms", [SendError("timeout")])
    ids = add_outbox(session_factory, "sms", "+33639981234", ["un", "deux", "trois"], clock.now)
    other = add_outbox(session_factory, "sms", "+33639985678", ["ailleurs"], clock.now)

    report = run(session_factory, sender, clock, settings, no_waits)
    assert statuses(db, ids + other) == ["queued", "queued", "queued", "sent"]
    assert report.released == 2  # "deux" and "trois" were claimed with "un", given back
    assert claim(session_factory, clock.now, 10, ["sms"]) == []  # nothing jumps the queue

    clock.now = db.get(Message, ids[0]).next_attempt_at
    run(session_factory, sender, clock, settings, no_waits)
    assert statuses(db, ids) == ["sent"] * 3
    assert sender.bodies == ["un", "ailleurs", "un", "deux", "trois"]


def test_every_send_takes_a_rate_slot_for_its_channel_and_address(session_factory, clock, settings, sms):
    from bot.delivery_limits import RateLimits

    class Recording(RateLimits):
        def __init__(self):
            super().__init__({})
            self.slots = []

        def wait(self, channel, address, stop=None):
            self.slots.append((channel, address))
            return True

    limits = Recording()
    add_outbox(session_factory, "sms", "+33600000001", ["a", "b"], clock.now)
    add_outbox(session_factory, "sms", "+33600000002", ["c"], clock.now)
    drain(session_factory, {"sms": sms}, clock, settings, limits=limits)
    assert limits.slots == [("sms", "+33600000001"), ("sms", "+33600000001"), ("sms", "+33600000002")]
