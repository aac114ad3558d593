"""The job queue: tasks that wake the delivery, run in immediate mode and by a real
consumer on Redis; a lost or impossible enqueue loses no message."""
from __future__ import annotations

import signal
import time
import uuid
from datetime import timedelta

import pytest
from huey import RedisHuey, SqliteHuey
from sqlalchemy import select

from bot.channels.base import SendError
from bot.inbound import InboundMessage
from bot.jobs import Jobs, make_huey, senders_from_settings
from bot.settings import Settings
from storage.models import Message
from tests.bot.delivery.support import FakeSender, add_outbox, statuses

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def jobs(tmp_path, session_factory, clock, settings, sms, no_waits) -> Jobs:
    """Jobs on an embedded queue in immediate mode: a task runs as it is enqueued."""
    huey = make_huey(settings, filename=tmp_path / "huey.sqlite3")
    huey.immediate = True
    return Jobs(huey, settings, session_factory=session_factory, make_senders=lambda _: {"sms": sms},
                clock=clock, limits=no_waits)


def test_enqueued_replies_are_delivered(jobs, session_factory, db, clock, sms):
    ids = add_outbox(session_factory, "sms", "+33639981234", ["Bonjour", "Votre commune ?"], clock.now)
    assert jobs.enqueue_delivery(ids)
    assert statuses(db, ids) == ["sent", "sent"]
    assert sms.bodies == ["Bonjour", "Votre commune ?"]


def test_a_retry_due_within_the_minute_is_scheduled(jobs, session_factory, db, clock, sms):
    sms.script = [SendError("Too Many Requests", code="429", retry_after=3)]
    ids = add_outbox(session_factory, "sms", "+33639981234", ["Bonjour"], clock.now)
    jobs.enqueue_delivery(ids)
    [follow_up] = jobs.huey.scheduled()
    assert follow_up.name == "deliver_now" and follow_up.args == ([],)
    clock.advance(seconds=3)
    jobs.deliver_now([])  # what the follow-up does when its time comes
    assert statuses(db, ids) == ["sent"]


def test_the_minute_sweep_finds_what_no_task_announced(jobs, session_factory, db, clock):
    ids = add_outbox(session_factory, "sms", "+33639981234", ["Bonjour"], clock.now)  # enqueue lost
    jobs.deliver_due()
    assert statuses(db, ids) == ["sent"]


def test_the_minute_sweep_comes_back_for_a_lease_ending_soon(jobs, session_factory, clock):
    add_outbox(session_factory, "sms", "+33639981234", ["Bonjour"], clock.now)
    with session_factory.begin() as session:  # a worker died while sending it, 100 s ago
        row = session.scalars(select(Message)).one()
        row.status, row.next_attempt_at = "sending", clock.now + timedelta(seconds=20)
    jobs.deliver_due()
    assert [task.name for task in jobs.huey.scheduled()] == ["deliver_now"]


def test_the_reminder_sweep_sends_what_it_queued(jobs, runtime, db, clock, sms):
    runtime.receive(InboundMessage(channel="sms", address="+33639981234", text="Bonjour",
                                   provider_id="SM1"))
    jobs.deliver_due()
    answered = len(sms.calls)
    assert answered >= 1
    clock.advance(hours=25)
    jobs.remind()
    assert len(sms.calls) == answered + 1
    assert "STOP" in sms.bodies[-1]
    assert db.scalars(select(Message).where(Message.status == "queued")).all() == []


def test_an_unreachable_queue_is_logged_not_raised(session_factory, clock, settings, caplog):
    huey = RedisHuey(f"relais-test-{uuid.uuid4().hex}", url="redis://127.0.0.1:1/0")
    jobs = Jobs(huey, settings, session_factory=session_factory)
    assert jobs.enqueue_delivery([1]) is False
    assert "minute sweep" in caplog.text


def test_the_queue_is_embedded_unless_redis_is_configured(tmp_path):
    assert isinstance(make_huey(Settings(), filename=tmp_path / "q.sqlite3"), SqliteHuey)
    assert isinstance(make_huey(Settings(redis_url=REDIS_URL)), RedisHuey)


def test_the_embedded_queue_does_not_flush_the_disk_for_each_task(tmp_path):
    """A task is a hint (the rows are the truth): WAL, synchronous=NORMAL (1), not FULL (2)."""
    huey = make_huey(Settings(), filename=tmp_path / "q.sqlite3")
    connection = huey.storage.conn
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA synchronous").fetchone()[0] == 1
    huey.storage.enqueue(b"task", 0)  # and it still takes and gives back tasks
    assert huey.storage.dequeue() == b"task"


def test_senders_exist_only_for_configured_channels():
    assert senders_from_settings(Settings()) == {}
    configured = senders_from_settings(Settings(
        telegram_bot_token="123:abc", telegram_api_base_url="http://127.0.0.1:9",
        twilio_account_sid="AC" + "0" * 32, twilio_auth_token="t", sms_sender="+33612345678"))
    try:
        assert {channel: type(sender).__name__ for channel, sender in configured.items()} == {
            "telegram": "TelegramSender", "sms": "SmsSender"}
    finally:
        configured["telegram"].close()


def test_a_real_consumer_on_redis_delivers(session_factory, db, clock, settings, no_waits):
    huey = make_huey(Settings(redis_url=REDIS_URL), name=f"relais-test-{uuid.uuid4().hex}")
    telegram = FakeSender("telegram")
    jobs = Jobs(huey, settings, session_factory=session_factory, clock=clock,
                make_senders=lambda _: {"telegram": telegram}, limits=no_waits)
    consumer = huey.create_consumer(workers=2, periodic=False, max_delay=0.1)
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    consumer.start()  # worker threads; its signal handlers are put back to pytest's below
    for signum, handler in handlers.items():
        signal.signal(signum, handler)
    try:
        ids = []
        for n in range(10):
            ids += add_outbox(session_factory, "telegram", f"42{n}", ["un", "deux"], clock.now)
            assert jobs.enqueue_delivery(ids[-2:])
        deadline = time.monotonic() + 10
        while set(statuses(db, ids)) != {"sent"} and time.monotonic() < deadline:
            time.sleep(0.05)
        assert statuses(db, ids) == ["sent"] * 20
        assert len(telegram.calls) == 20
        for n in range(10):
            assert [b for a, b in telegram.calls if a == f"42{n}"] == ["un", "deux"]
    finally:
        consumer.stop(graceful=True)
        huey.flush()
