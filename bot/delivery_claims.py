"""Claiming outbox rows for sending: a lease, order per address, no row claimed twice.

A claimed row is "sending" until its lease (next_attempt_at) expires; a worker that dies
mid-send leaves it so, and the row is claimed again once the lease has expired.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from storage.models import Message

LEASE = timedelta(seconds=120)  # how long a claimed row is left to its worker
PENDING = ("queued", "sending")  # not yet accepted by the provider
SIMULATED = frozenset({"sms-sim", "telegram-sim"})  # the simulator delivers these itself


def claim(session_factory: sessionmaker[Session], now: datetime, limit: int,
          channels: Iterable[str], ids: Sequence[int] | None = None,
          lease: timedelta = LEASE) -> list[int]:
    """Mark due rows "sending" with a lease, in one short transaction; their ids in order.

    Due: "queued" whose next attempt has come, or "sending" whose lease has expired.
    A row is claimed only together with every earlier pending row of its address, so
    the messages of a conversation leave in order. On PostgreSQL, rows another worker
    is claiming are skipped (SKIP LOCKED); on SQLite the write lock serialises claims.
    A proactive row (written first by the service: news, a consent request…) is claimed
    only in the daytime (bot.proactive), and never holds a conversation's replies back.
    """
    channels = sorted(set(channels) - SIMULATED)
    if not channels or limit <= 0:
        return []
    query = (select(Message)
             .where(Message.direction == "out", Message.channel.in_(channels),
                    Message.status.in_(PENDING), _due(Message, now), ~_held_back(now))
             .order_by(Message.id).limit(limit))
    if ids is not None:
        query = query.where(Message.id.in_(list(ids)))
    from bot.proactive import may_write_first  # the holiday calendar: worker side only
    if not may_write_first(now):
        query = query.where(Message.proactive.is_(False))
    with session_factory.begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=Message)
        rows = _in_order(session, list(session.scalars(query)))
        for row in rows:
            row.status, row.next_attempt_at = "sending", now + lease
        return [row.id for row in rows]


def release(session_factory: sessionmaker[Session], ids: Sequence[int], now: datetime) -> int:
    """Give claimed rows back, unsent and due at once (a stop, an earlier row waiting)."""
    if not ids:
        return 0
    with session_factory.begin() as session:
        result = session.execute(
            update(Message).where(Message.id.in_(list(ids)), Message.status == "sending")
            .values(status="queued", next_attempt_at=now))
        return result.rowcount or 0


def next_due(session_factory: sessionmaker[Session], channels: Iterable[str],
             now: datetime) -> datetime | None:
    """When the next pending row of these channels falls due (a retry, a lease ending)."""
    channels = sorted(set(channels) - SIMULATED)
    query = select(func.min(Message.next_attempt_at)).where(
        Message.direction == "out", Message.channel.in_(channels), Message.status.in_(PENDING),
        Message.next_attempt_at > now)
    with session_factory() as session:
        return session.scalar(query) if channels else None


def _due(message: type[Message], now: datetime):
    return or_(message.next_attempt_at.is_(None), message.next_attempt_at <= now)


def _held_back(now: datetime):
    """An earlier row of the same address waits for a retry or is being sent."""
    earlier = aliased(Message)
    return exists().where(
        earlier.channel_address_id == Message.channel_address_id, earlier.id < Message.id,
        earlier.direction == "out", earlier.status.in_(PENDING), ~_due(earlier, now),
        earlier.proactive.is_(False))


def _in_order(session: Session, rows: list[Message]) -> list[Message]:
    """Keep only rows whose every earlier pending row (same address) is claimed too.

    Catches what the query cannot see: an earlier row skipped because another worker
    holds its lock, or left out by the limit.
    """
    claimed = {row.id for row in rows}
    addresses = {row.channel_address_id for row in rows if row.channel_address_id is not None}
    if not addresses:
        return rows
    pending = session.execute(
        select(Message.channel_address_id, Message.id).where(
            Message.channel_address_id.in_(addresses), Message.direction == "out",
            Message.status.in_(PENDING), Message.id < max(claimed),
            Message.proactive.is_(False)))
    first_gap: dict[int, int] = {}
    for address_id, message_id in pending:
        if message_id not in claimed and message_id < first_gap.get(address_id, message_id + 1):
            first_gap[address_id] = message_id
    return [row for row in rows if row.id < first_gap.get(row.channel_address_id, row.id + 1)]
