"""The outbox drain, whatever the channel: senders are given as a map channel → Sender.

    claim    one short transaction: due rows become "sending" under a lease
             (bot/delivery_claims.py);
    deliver  for each row: read it, wait for a rate slot (bot/delivery_limits.py), send
             with no transaction open (bot/delivery_send.py), record the outcome in a new
             short transaction (bot/delivery_outcomes.py: retries, backoff, failures);
    record_status  the provider's later word on a sent row (bot/delivery_status.py);
    drain    claim and deliver until nothing is due: what the worker's tasks run.

Nothing is lost: a row leaves the outbox only once the provider has accepted it, and a
worker that dies leaves its rows "sending" until the lease expires, then they are
claimed again. Nothing is sent twice after its success was recorded. The one gap, which
no outbox closes without a provider idempotency key: a worker killed after the
provider accepted a message and before our commit sends that message again.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.channels.base import Sender
from bot.delivery_claims import LEASE, PENDING, SIMULATED, claim, next_due, release
from bot.delivery_limits import RateLimits
from bot.delivery_outcomes import backoff
from bot.delivery_send import DeliveryReport, deliver
from bot.delivery_status import record_status
from bot.settings import Settings

__all__ = [
    "BATCH", "LEASE", "PENDING", "SIMULATED", "DeliveryReport", "backoff", "claim", "deliver",
    "drain", "next_due", "record_status", "release",
]
BATCH = 20  # rows per claim: small, so a batch ends well inside its lease


def drain(session_factory: sessionmaker[Session], senders: Mapping[str, Sender],
          now_fn: Callable[[], datetime], settings: Settings, *, ids: Sequence[int] = (),
          batch: int = BATCH, limits: RateLimits | None = None,
          stop: threading.Event | None = None, lease: timedelta = LEASE) -> DeliveryReport:
    """Deliver `ids` first (if due), then whatever else is due, until nothing is left."""
    report = DeliveryReport()
    options = dict(limits=limits, stop=stop, lease=lease)
    if ids:
        claimed = claim(session_factory, now_fn(), len(ids), senders, ids=ids, lease=lease)
        report.add(deliver(session_factory, senders, claimed, now_fn, settings, **options))
    while stop is None or not stop.is_set():
        claimed = claim(session_factory, now_fn(), batch, senders, lease=lease)
        if not claimed:
            break
        report.add(deliver(session_factory, senders, claimed, now_fn, settings, **options))
    return report
