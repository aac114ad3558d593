"""The inbound queue, web side: store what a webhook received, in one INSERT and one commit.

The webhook answers the provider once this row is committed (durably: no relaxed fsync).
A replay of a message still queued inserts nothing (ON CONFLICT DO NOTHING on channel and
provider id); a replay of a message already handled is queued again, and the runtime
recognises it as a duplicate. The worker side is bot.inbound_worker.

Light on purpose: the web process imports this, not the engine, the gazetteer or the
delivery machinery.
"""
from __future__ import annotations

import functools
import time
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.inbound import InboundMessage
from storage.db import SQLITE_PRAGMAS
from storage.models import InboundQueueItem, utcnow

LOCK_WAIT = 5.0  # seconds, as SQLite's busy_timeout: then the webhook fails (500) and is retried
LOCK_POLL = 0.001  # seconds between two tries for SQLite's write lock
BUSY_TIMEOUT = next(p for p in SQLITE_PRAGMAS if "busy_timeout" in p)


def to_json(message: InboundMessage) -> dict[str, Any]:
    """The message as JSON data (what the queue row keeps until it is handled).

    NUL characters go: PostgreSQL's JSONB refuses them, and the runtime drops them anyway
    from what it stores and reads (bot.inbound.clean).
    """
    data = asdict(message)
    data["media"] = [dict(item) for item in message.media]
    return _without_nul(data)


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


def from_json(data: dict[str, Any]) -> InboundMessage:
    """The message a queue row holds; unknown keys (from an older version) are ignored."""
    known = InboundMessage.__dataclass_fields__
    fields = {key: value for key, value in data.items() if key in known}
    fields["media"] = tuple(dict(item) for item in fields.get("media") or ())
    return InboundMessage(**fields)


def store(session_factory: sessionmaker[Session], message: InboundMessage,
          now: datetime | None = None) -> int | None:
    """Commit the message to the queue; its row id, or None for a replay still queued."""
    engine: Engine = session_factory.kw["bind"]
    row = {"channel": message.channel, "address": message.address,
           "provider_id": message.provider_id, "message": to_json(message),
           "received_at": now or utcnow()}
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            _begin_when_free(connection)
            item_id = connection.execute(_insert("sqlite"), row).scalar()
            connection.commit()
            return item_id
        # One statement, committed on its own (synchronous_commit stays on): one round
        # trip to PostgreSQL instead of BEGIN, INSERT and COMMIT.
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        return autocommit.execute(_insert(engine.dialect.name), row).scalar()


@functools.cache
def _insert(dialect: str) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id, built once: the values are bound at
    execution, so SQLAlchemy need not walk them to find its cached statement."""
    table = InboundQueueItem.__table__
    return (_insert_for(dialect)(table)
            .on_conflict_do_nothing(index_elements=["channel", "provider_id"])
            .returning(table.c.id))


def _begin_when_free(connection: Connection) -> None:
    """SQLite: take the write lock (BEGIN IMMEDIATE) as soon as it is free.

    While the worker handles messages it holds the lock most of the time, in transactions
    of a few milliseconds. SQLite's own busy handler sleeps longer and longer between tries
    (up to 100 ms), so a webhook would wait far longer than the lock is held; trying every
    millisecond lets its one-row transaction slip in between two of the worker's.
    """
    raw = connection.connection.dbapi_connection
    raw.execute("PRAGMA busy_timeout=0")
    deadline = time.monotonic() + LOCK_WAIT
    try:
        while True:
            try:
                connection.begin()
                return
            except OperationalError as error:
                if "locked" not in str(error.orig) or time.monotonic() > deadline:
                    raise
            time.sleep(LOCK_POLL)
    finally:
        raw.execute(BUSY_TIMEOUT)


def _insert_for(dialect: str) -> Any:
    """The dialect's INSERT construct, which knows ON CONFLICT."""
    if dialect == "postgresql":
        return postgresql.insert
    if dialect == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"the inbound queue needs PostgreSQL or SQLite, not {dialect}")
