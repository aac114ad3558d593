"""The inbound queue, worker side: handle what the webhooks stored, one person at a time.

A "handle inbound" job names a queue row. The worker handles that person's queued rows
up to it, oldest first, each through Runtime.receive, which deletes the row in the same
transaction as the new state and the replies: a row is handled once, or stays queued.
Two workers meeting on one row: the first DELETE wins; the other waits for it (a row lock
on PostgreSQL, the write lock on SQLite), deletes nothing and moves on, so one person's
messages keep their order.

A job lost between the webhook's commit and its enqueue leaves its row queued; the sweep
(every minute, and when the worker starts) finds such rows and handles them.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, aliased

from bot.inbound_queue import from_json
from bot.runtime import Runtime
from storage.models import InboundQueueItem

SWEEP_AFTER = timedelta(seconds=30)  # younger rows still have their job on the way


def handle(runtime: Runtime, item_id: int) -> list[int]:
    """Handle the person's queued messages up to `item_id`; the ids of the replies queued."""
    queued, item = InboundQueueItem, aliased(InboundQueueItem)
    with runtime.session_factory() as session:  # none if handled already
        rows = session.execute(
            select(queued.id, queued.message)
            .join(item, (item.channel == queued.channel) & (item.address == queued.address))
            .where(item.id == item_id, queued.id <= item_id)
            .order_by(queued.id)).all()
    replies: list[int] = []
    for row_id, data in rows:
        replies += runtime.receive(from_json(data), claim=claim(row_id)).replies
    return replies


def claim(item_id: int) -> Callable[[Session], bool]:
    """Delete the row in the handling transaction; False if another worker handled it."""
    def take(session: Session) -> bool:
        result = session.execute(delete(InboundQueueItem).where(InboundQueueItem.id == item_id))
        return result.rowcount == 1
    return take


def sweep(runtime: Runtime, now: datetime, older_than: timedelta = SWEEP_AFTER) -> list[int]:
    """Handle every row queued before `now - older_than` (its job was lost); reply ids."""
    queued = InboundQueueItem
    with runtime.session_factory() as session:
        newest = list(session.scalars(
            select(func.max(queued.id)).where(queued.received_at <= now - older_than)
            .group_by(queued.channel, queued.address)))
    replies: list[int] = []
    for item_id in sorted(newest):
        replies += handle(runtime, item_id)
    return replies
