"""Sending claimed rows: read, wait for a rate slot, send, record; never a transaction open
while a provider is called. What each outcome becomes: bot/delivery_outcomes.py.

A batch stops, giving its remaining rows back, when the worker is told to stop (the
message in hand is finished and recorded first) or when half its lease has gone by, so a
row is never sent by a worker whose lease may have passed to another.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot import news
from bot.channels.base import Sender, SendError
from bot.delivery_claims import LEASE, release
from bot.delivery_limits import RateLimits, shared_limits
from bot.delivery_outcomes import record_outcome
from bot.settings import Settings
from storage.models import ChannelAddress, Message

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    """What a delivery run did; retry_at is the earliest retry it scheduled."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0
    retry_at: datetime | None = None

    def count(self, status: str, retry_at: datetime | None) -> None:
        """Count one recorded outcome."""
        if status == "queued":
            self.retried += 1
            self.add(DeliveryReport(retry_at=retry_at))
        elif status == "sent":
            self.sent += 1
        elif status == "failed":
            self.failed += 1

    def add(self, other: "DeliveryReport") -> "DeliveryReport":
        """Sum of two reports (earliest retry of both)."""
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.released += other.released
        if other.retry_at is not None:
            self.retry_at = min(filter(None, (self.retry_at, other.retry_at)))
        return self


@dataclass(frozen=True)
class _Job:
    """A claimed row as read before sending: what the sender needs, nothing more."""

    id: int
    channel: str
    address_id: int | None
    address: str | None
    body: str
    buttons: list[dict[str, str]] | None
    unwanted: bool = False  # news the person stopped wanting after it was queued


def deliver(session_factory: sessionmaker[Session], senders: Mapping[str, Sender],
            ids: Sequence[int], now_fn: Callable[[], datetime], settings: Settings, *,
            limits: RateLimits | None = None, stop: threading.Event | None = None,
            lease: timedelta = LEASE) -> DeliveryReport:
    """Send claimed rows in order and record each outcome; returns what happened."""
    limits = limits or shared_limits(settings)
    deadline = time.monotonic() + lease.total_seconds() / 2  # well inside the lease
    report = DeliveryReport()
    waiting: set[int] = set()  # addresses whose earlier message waits for a retry
    for position, message_id in enumerate(ids):
        if _must_stop(stop, deadline):
            report.released += release(session_factory, ids[position:], now_fn())
            break
        job = _read(session_factory, message_id)
        if job is None:
            continue
        if job.address_id in waiting:
            report.released += release(session_factory, [job.id], now_fn())
            continue
        if not _slot(limits, job, stop, deadline):
            report.released += release(session_factory, ids[position:], now_fn())
            break
        outcome = _send(senders[job.channel], job)
        status, retry_at = record_outcome(session_factory, job.id, outcome, now_fn, settings)
        report.count(status, retry_at)
        if status == "queued":
            waiting.add(job.address_id)
    return report


def _must_stop(stop: threading.Event | None, deadline: float) -> bool:
    """The worker is stopping, or the batch has used up half its lease."""
    return (stop is not None and stop.is_set()) or time.monotonic() >= deadline


def _slot(limits: RateLimits, job: _Job, stop: threading.Event | None, deadline: float) -> bool:
    """Wait for the rate limits to allow one more; False if the worker must stop first."""
    if job.address is not None:
        limits.wait(job.channel, job.address, stop)
    return not _must_stop(stop, deadline)


def _read(session_factory: sessionmaker[Session], message_id: int) -> _Job | None:
    """The row and its address, if it is still ours to send."""
    with session_factory() as session:
        row = session.get(Message, message_id)
        if row is None or row.status != "sending":
            return None
        address = session.get(ChannelAddress, row.channel_address_id) if row.channel_address_id else None
        unwanted = row.broadcast_id is not None and not news.still_wanted(session, row, address)
        return _Job(row.id, row.channel, row.channel_address_id,
                    address.address if address else None, row.body, row.options, unwanted)


def _send(sender: Sender, job: _Job) -> str | SendError:
    """The provider's id, or why the send did not go through."""
    if job.address is None:
        return SendError("no address (erased)", permanent=True)
    if job.unwanted:
        return SendError(news.CANCELLED, permanent=True)
    try:
        return sender.send(job.address, job.body, job.buttons)
    except SendError as error:
        return error
    except Exception as error:  # a sender's bug or an unwrapped network error: retry
        log.exception("sender for %s failed on message %d", job.channel, job.id)
        return SendError(type(error).__name__)
