"""The worker side of the inbound queue: each queued message handled once, one person at
a time, in the order the messages arrived, even when two workers take them at once."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from bot import inbound_queue, inbound_worker
from bot.inbound import InboundMessage
from storage.models import Conversation, InboundQueueItem, Message

PEOPLE = [f"+336399812{n:02d}" for n in range(4)]


def sms(address: str, text: str, sid: str) -> InboundMessage:
    return InboundMessage(channel="sms", address=address, text=text, provider_id=sid)


def test_a_message_survives_the_trip_through_the_queue_unchanged():
    message = InboundMessage(channel="telegram", address="42", option_id="yes", provider_id="7",
                             media=({"kind": "photo", "ref": "AgAD"},), language_hint="uk")
    assert inbound_queue.from_json(inbound_queue.to_json(message)) == message


def test_a_nul_character_is_dropped_in_the_queue_as_everywhere_else():
    message = InboundMessage(channel="sms", address="+33639981299", text="a\x00b", provider_id="N1")
    assert inbound_queue.from_json(inbound_queue.to_json(message)).text == "ab"


def test_two_messages_of_one_person_taken_by_two_workers_at_once_are_handled_once_in_order(
        runtime, session_factory, db):
    jobs = []
    for address in PEOPLE:
        first = inbound_queue.store(session_factory, sms(address, "Bonjour", f"A{address}"))
        second = inbound_queue.store(session_factory, sms(address, "oui", f"B{address}"))
        jobs += [first, second]
    start = threading.Barrier(len(jobs))
    replies: list[list[int]] = []

    def worker(item_id: int) -> None:
        start.wait()
        replies.append(inbound_worker.handle(runtime, item_id))

    threads = [threading.Thread(target=worker, args=(item_id,)) for item_id in reversed(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert db.scalars(select(InboundQueueItem)).all() == []
    for address in PEOPLE:
        inbound = db.scalars(select(Message).where(
            Message.direction == "in", Message.provider_id.like(f"%{address}")).order_by(Message.id))
        assert [m.body for m in inbound] == ["Bonjour", "oui"]
    assert sum(len(ids) for ids in replies) == 2 * len(PEOPLE)  # one reply per message
    for conversation in db.scalars(select(Conversation)):
        assert conversation.state["step"] == "difficulties"  # welcomed, then consented


def test_a_row_another_worker_handled_meanwhile_is_not_handled_again(runtime, session_factory, db):
    item_id = inbound_queue.store(session_factory, sms(PEOPLE[0], "Bonjour", "C1"))
    message = inbound_queue.from_json(db.get(InboundQueueItem, item_id).message)
    assert runtime.receive(message, claim=inbound_worker.claim(item_id)).replies
    again = runtime.receive(message, claim=inbound_worker.claim(item_id))
    assert again.duplicate and not again.replies


def test_a_webhook_waits_while_a_worker_holds_sqlites_write_lock_then_stores(
        session_factory, engine, db):
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL locks rows, not the database")
    locked, release = threading.Event(), threading.Event()

    def worker() -> None:
        with session_factory.begin() as session:
            session.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: the write lock, held
            locked.set()
            release.wait(10)

    holder = threading.Thread(target=worker)
    holder.start()
    locked.wait(10)
    stored: list[int | None] = []
    webhook = threading.Thread(target=lambda: stored.append(
        inbound_queue.store(session_factory, sms(PEOPLE[0], "Bonjour", "L1"))))
    webhook.start()
    webhook.join(0.3)
    assert webhook.is_alive() and stored == []  # it cannot commit while the lock is held
    release.set()
    holder.join(10)
    webhook.join(10)
    [item_id] = stored
    assert db.get(InboundQueueItem, item_id).message["text"] == "Bonjour"
