"""The outbox drain: claimed in order, sent once, recorded; the simulator's rows untouched."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.delivery import claim, deliver, drain
from storage.models import Contact, Message
from tests.bot.delivery.support import FakeSender, add_outbox, statuses


def test_claimed_rows_are_sent_and_recorded(session_factory, db, clock, settings, telegram, sms, no_waits):
    first = add_outbox(session_factory, "telegram", "424242", ["Bonjour", "Quelle commune ?"], clock.now)
    other = add_outbox(session_factory, "sms", "+33639981234", ["Bonjour"], clock.now)
    senders = {"telegram": telegram, "sms": sms}

    claimed = claim(session_factory, clock.now, 10, senders)
    assert claimed == first + other
    assert statuses(db, claimed) == ["sending"] * 3
    report = deliver(session_factory, senders, claimed, clock, settings, limits=no_waits)

    assert (report.sent, report.retried, report.failed) == (3, 0, 0)
    assert telegram.calls == [("424242", "Bonjour"), ("424242", "Quelle commune ?")]
    assert sms.calls == [("+33639981234", "Bonjour")]
    row = db.get(Message, first[0])
    assert (row.status, row.provider_id, row.sent_at, row.attempts) == ("sent", "telegram-1", clock.now, 1)
    assert claim(session_factory, clock.now, 10, senders) == []


def test_only_channels_with_a_sender_and_never_the_simulator(session_factory, db, clock, settings, sms):
    simulated = add_outbox(session_factory, "sms-sim", "+33600000001", ["Bonjour"], clock.now)
    telegram = add_outbox(session_factory, "telegram", "424242", ["Bonjour"], clock.now)
    mine = add_outbox(session_factory, "sms", "+33639981234", ["Bonjour"], clock.now)
    assert claim(session_factory, clock.now, 10, ["sms", "sms-sim"]) == mine
    assert statuses(db, simulated + telegram) == ["queued", "queued"]


def test_not_due_yet_is_not_claimed(session_factory, clock, sms):
    add_outbox(session_factory, "sms", "+33639981234", ["plus tard"], clock.now + timedelta(seconds=30))
    assert claim(session_factory, clock.now, 10, {"sms": sms}) == []


def test_an_expired_lease_is_claimed_again(session_factory, db, clock, settings, sms, no_waits):
    ids = add_outbox(session_factory, "sms", "+33639981234", ["Bonjour"], clock.now)
    assert claim(session_factory, clock.now, 10, ["sms"], lease=timedelta(seconds=120)) == ids
    # the worker that claimed it died mid-send: nothing happens until the lease expires
    clock.advance(seconds=119)
    assert claim(session_factory, clock.now, 10, ["sms"]) == []
    clock.advance(seconds=2)
    assert claim(session_factory, clock.now, 10, ["sms"]) == ids
    deliver(session_factory, {"sms": sms}, ids, clock, settings, limits=no_waits)
    assert statuses(db, ids) == ["sent"] and len(sms.calls) == 1


def test_claim_limited_to_given_ids_keeps_the_order_of_an_address(session_factory, clock, sms):
    ids = add_outbox(session_factory, "sms", "+33639981234", ["un", "deux", "trois"], clock.now)
    # asked for the last two only: the first is still queued, so they wait for it
    assert claim(session_factory, clock.now, 10, ["sms"], ids=ids[1:]) == []
    assert claim(session_factory, clock.now, 10, ["sms"], ids=ids[:2]) == ids[:2]


def test_a_limit_never_splits_an_address_out_of_order(session_factory, clock):
    a = add_outbox(session_factory, "sms", "+33600000001", ["a1", "a2"], clock.now)
    b = add_outbox(session_factory, "sms", "+33600000002", ["b1"], clock.now)
    assert claim(session_factory, clock.now, 1, ["sms"]) == a[:1]
    # a1 is being sent: a2 must wait for it, b1 may go
    assert claim(session_factory, clock.now, 10, ["sms"]) == b


def test_drain_sends_everything_due(session_factory, db, clock, settings, sms, no_waits):
    ids = []
    for n in range(7):
        ids += add_outbox(session_factory, "sms", f"+3360000000{n}", [f"{n}a", f"{n}b"], clock.now)
    report = drain(session_factory, {"sms": sms}, clock, settings, batch=3, limits=no_waits)
    assert report.sent == 14 and statuses(db, ids) == ["sent"] * 14
    for n in range(7):
        assert [b for b in sms.bodies if b.startswith(str(n))] == [f"{n}a", f"{n}b"]


def test_the_erasure_confirmation_takes_the_person_with_it(session_factory, db, clock, settings, sms, no_waits):
    [message_id] = add_outbox(session_factory, "sms", "+33639981234", ["Vos données sont effacées."],
                              clock.now, purge_after_send=True)
    drain(session_factory, {"sms": sms}, clock, settings, limits=no_waits)
    assert sms.bodies == ["Vos données sont effacées."]
    assert db.get(Message, message_id) is None
    assert db.scalars(select(Contact)).all() == []


def test_a_stopping_worker_sends_nothing_more_and_gives_rows_back(session_factory, db, clock, settings, no_waits):
    import threading

    stop = threading.Event()

    class StopsAfterOne(FakeSender):
        def send(self, address, body, buttons):
            stop.set()  # SIGTERM arrives while the first message is being sent
            return super().send(address, body, buttons)

    sender = StopsAfterOne("sms")
    ids = add_outbox(session_factory, "sms", "+33639981234", ["un", "deux", "trois"], clock.now)
    report = drain(session_factory, {"sms": sender}, clock, settings, limits=no_waits, stop=stop)
    assert (report.sent, report.released) == (1, 2)
    assert statuses(db, ids) == ["sent", "queued", "queued"]
    assert claim(session_factory, clock.now, 10, ["sms"]) == ids[1:]
