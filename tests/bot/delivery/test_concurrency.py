"""Several workers at once: a row is claimed by one of them only, and order holds."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from bot.delivery import claim
from storage.models import Message
from tests.bot.delivery.support import add_outbox


def test_two_concurrent_claimers_never_claim_the_same_row(session_factory, clock):
    ids = []
    for n in range(120):
        ids += add_outbox(session_factory, "sms", f"+336{n:08d}", ["Bonjour"], clock.now)
    start = threading.Barrier(2)
    claimed: list[list[int]] = [[], []]
    errors: list[BaseException] = []

    def claimer(slot: int) -> None:
        try:
            start.wait()
            while batch := claim(session_factory, clock.now, 7, ["sms"]):
                claimed[slot] += batch
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=claimer, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert not set(claimed[0]) & set(claimed[1])
    assert sorted(claimed[0] + claimed[1]) == ids


def test_a_row_locked_by_another_claimer_holds_back_its_successors(session_factory, engine, clock):
    """PostgreSQL: SKIP LOCKED passes over a row another worker is claiming; the next row
    of the same address must then wait too, not leave first."""
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises claims with its write lock")
    ids = add_outbox(session_factory, "sms", "+33639981234", ["un", "deux"], clock.now)
    other = add_outbox(session_factory, "sms", "+33639985678", ["ailleurs"], clock.now)
    with session_factory.begin() as session:  # another worker, mid-claim, holds "un"
        session.scalars(select(Message).where(Message.id == ids[0]).with_for_update()).one()
        assert claim(session_factory, clock.now, 10, ["sms"]) == other
