"""End to end: how fast the bot worker handles what the webhooks acknowledged.

Acknowledging fast is half of the story: a webhook only commits the message to the
inbound queue. After each webhook phase the benchmark waits (bounded) until the worker
has emptied the queue, then reads when each message was handled (the inbound row's
created_at, written by the worker's transaction) and when the last reply was queued (the
newest outbound row). Server and client share the machine's clock.
"""
from __future__ import annotations

import math
import time
from typing import Any

from bench.load import Outcome
from bench.report import percentile

POLL_SECONDS = 0.25


class Drain:
    """Reads the inbound queue and the messages, outside any write transaction."""

    def __init__(self, url: str):
        from sqlalchemy.pool import NullPool

        from storage.db import make_engine

        # AUTOCOMMIT: on SQLite, no BEGIN IMMEDIATE (no write lock taken by the polling).
        self.engine = make_engine(url, poolclass=NullPool).execution_options(
            isolation_level="AUTOCOMMIT")

    def close(self) -> None:
        self.engine.dispose()

    def queued(self) -> int:
        from sqlalchemy import func, select

        from storage.models import InboundQueueItem
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count(InboundQueueItem.id)))

    def wait_empty(self, timeout: float) -> float | None:
        """time.time() when the queue was seen empty; None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.queued() == 0:
                return time.time()
            time.sleep(POLL_SECONDS)
        return None

    def handled_at(self, sids: list[str]) -> dict[str, float]:
        """When each of these inbound messages was handled (epoch seconds)."""
        from sqlalchemy import select

        from storage.models import Message
        wanted = set(sids)
        query = select(Message.provider_id, Message.created_at).where(
            Message.direction == "in", Message.channel == "sms")
        with self.engine.connect() as connection:
            return {sid: at.timestamp() for sid, at in connection.execute(query) if sid in wanted}

    def last_reply_at(self) -> float | None:
        from sqlalchemy import func, select

        from storage.models import Message
        with self.engine.connect() as connection:
            newest = connection.scalar(select(func.max(Message.created_at)).where(
                Message.direction == "out"))
        if newest is None:
            return None
        from storage.models import UTCDateTime  # SQLite returns it naive: it is UTC
        return UTCDateTime().process_result_value(newest, self.engine.dialect).timestamp()


def end_to_end(drain: Drain, out: Outcome, sids: list[str], started_at: float,
               timeout: float) -> dict[str, Any]:
    """Wait for the worker to catch up with a phase; what it took, message by message.

    `started_at` is the phase's first send (epoch seconds). "wait" is, per message, from
    the webhook's answer to the worker's handling.
    """
    emptied = drain.wait_empty(timeout)
    acked = {sid: at for sid, at, status in zip(sids, out.answered_at, out.status)
             if 200 <= status < 300}
    handled = drain.handled_at(list(acked))
    last_reply = drain.last_reply_at()
    waits = sorted(handled[sid] - at for sid, at in acked.items() if sid in handled)
    first_handled = min(handled.values(), default=math.nan)
    last_handled = max(handled.values(), default=math.nan)
    span, busy = last_handled - started_at, last_handled - first_handled
    ms = lambda v: round(v * 1000, 1)  # noqa: E731
    return {
        "acknowledged": len(acked), "handled": len(handled),
        "queue_emptied": emptied is not None, "left_in_queue": drain.queued(),
        "handled_per_s": round(len(handled) / span, 1) if span > 0 else None,
        # From the first message handled to the last: the worker's own pace.
        "worker_pace_per_s": round((len(handled) - 1) / busy, 1) if busy > 0 else None,
        "last_reply_queued_after_start_s": round(last_reply - started_at, 2)
        if last_reply else None,
        "last_reply_after_last_ack_s": round(last_reply - max(acked.values()), 2)
        if last_reply and acked else None,
        "wait_ms": {"p50": ms(percentile(waits, 50)), "p99": ms(percentile(waits, 99)),
                    "max": ms(waits[-1]) if waits else None},
    }
