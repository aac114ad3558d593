"""Recording what a send became, in a short transaction of its own.

- success: sent, with the provider's id (outbox.mark_sent; the erasure confirmation
  takes the person with it).
- retry_after (HTTP 429): queued again after that many seconds. It does not use up the
  failure budget (attempts is unchanged): the provider is pacing us, the message is fine.
- transient (network, 5xx, any unexpected exception of a sender): attempts + 1, queued
  again after an exponential backoff with jitter (about 2, 4, 8 … s, at most 10 min);
  failed for good when attempts reaches settings.delivery_max_attempts, the last reason
  kept in `error`.
- blocked (the person blocked the bot, Twilio 21610): failed, "blocked: <code>", and the
  address is opted out.
- permanent (a bad request): failed with the provider's reason.
A retry of a proactive row (news, a consent request…) that would fall in the night waits
for the next daytime (bot.proactive).
"""
from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot import outbox
from bot.channels.base import SendError
from bot.proactive import next_time_to_write_first
from bot.settings import Settings
from storage.models import ChannelAddress, Message

log = logging.getLogger(__name__)
BACKOFF_FIRST = 2.0  # seconds before the first retry of a transient failure
BACKOFF_CAP = 600.0  # never wait longer than 10 minutes between two tries
SHORTEST_RETRY_AFTER = 1.0  # a "retry after 0" must not spin
RECORD_RETRY_PAUSES = (0.5, 2.0, 5.0)  # seconds between tries to record a send


def record_outcome(session_factory: sessionmaker[Session], message_id: int,
                   outcome: str | SendError, now_fn: Callable[[], datetime],
                   settings: Settings) -> tuple[str, datetime | None]:
    """Record, trying again if the database hiccups: a sent message not recorded would be
    sent again once its lease expires."""
    for pause in RECORD_RETRY_PAUSES:
        try:
            return _record(session_factory, message_id, outcome, now_fn(), settings)
        except OperationalError:
            log.warning("recording message %d failed; trying again in %g s", message_id, pause,
                        exc_info=True)
            time.sleep(pause)
    return _record(session_factory, message_id, outcome, now_fn(), settings)


def _record(session_factory: sessionmaker[Session], message_id: int, outcome: str | SendError,
            now: datetime, settings: Settings) -> tuple[str, datetime | None]:
    """Write the outcome in a short transaction; returns the new status and next attempt."""
    with session_factory.begin() as session:
        row = session.get(Message, message_id)
        if row is None:
            return "gone", None
        if row.status not in ("queued", "sending"):  # only if a lease was outlived
            log.warning("message %d was already %s: outcome not recorded", row.id, row.status)
            return row.status, None
        if isinstance(outcome, str):
            row.error = None
            outbox.mark_sent(session, row, now, outcome)
            return "sent", None
        _record_failure(session, row, outcome, now, settings)
        return row.status, row.next_attempt_at if row.status == "queued" else None


def _record_failure(session: Session, row: Message, error: SendError, now: datetime,
                    settings: Settings) -> None:
    if error.retry_after is not None and not error.permanent:
        wait = max(error.retry_after, SHORTEST_RETRY_AFTER)
        row.status, row.next_attempt_at = "queued", now + timedelta(seconds=wait)
        row.error = f"rate limited: retry after {wait:g} s"
    elif error.blocked:
        row.status, row.error = "failed", f"blocked: {error.code or error.reason}"
        address = session.get(ChannelAddress, row.channel_address_id) if row.channel_address_id else None
        if address is not None and address.opted_out_at is None:
            address.opted_out_at = now
    elif error.permanent:
        row.status, row.error = "failed", _describe(error)
    else:
        row.attempts += 1
        row.error = _describe(error)
        if row.attempts >= settings.delivery_max_attempts:
            row.status = "failed"
        else:
            row.status, row.next_attempt_at = "queued", now + backoff(row.attempts)
    if row.status == "queued" and row.proactive:  # written first: never at night
        row.next_attempt_at = next_time_to_write_first(row.next_attempt_at)


def _describe(error: SendError) -> str:
    """The provider's code and reason, as kept in Message.error."""
    text = f"{error.code}: {error.reason}" if error.code else error.reason
    return text[:500]


def backoff(attempts: int) -> timedelta:
    """Wait before try `attempts` + 1: 2 s doubling each time, ±25 % jitter, 10 min at most."""
    base = BACKOFF_FIRST * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(base * random.uniform(0.75, 1.25), BACKOFF_CAP))
