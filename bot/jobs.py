"""The job queue (Huey): inbound messages handled and replies delivered right after a
commit; every minute, a sweep of both queues, the reminders and the referred people's
consent (bot/consent_sweep.py).

The database rows are the truth; a task only says "look now". Losing a task loses no
message: the minute sweeps find every inbound row still queued and every due outbox row
(a retry whose time has come, a lease a dead worker left, a row whose enqueue was lost).
Huey's periodic tasks have minute resolution, so a retry due sooner is scheduled as a
delayed `deliver_now`.

Storage: Redis when settings.redis_url is set (several workers, several machines),
otherwise an embedded SQLite file (settings.huey_sqlite_path, by default
instance/huey.sqlite3), no server needed.

The web process imports this module only to enqueue: what the tasks need (the runtime
and its engine, the senders, rate limits, the holiday calendar) is imported when a task
runs, in the worker.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.storage import SqliteStorage
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery_claims import LEASE
from bot.settings import Settings
from storage.db import INSTANCE_DIR, make_engine, make_session_factory
from storage.models import utcnow

if TYPE_CHECKING:
    from bot.channels.base import Sender
    from bot.delivery import DeliveryReport
    from bot.delivery_limits import RateLimits
    from bot.runtime import Runtime

log = logging.getLogger(__name__)
FOLLOW_UP_HORIZON = timedelta(seconds=60)  # later retries are left to the minute sweep


def make_huey(settings: Settings, name: str = "relais", filename: Path | None = None) -> Huey:
    """Redis-backed Huey when settings.redis_url is set, else an embedded SQLite file."""
    if settings.redis_url:
        return RedisHuey(name, url=settings.redis_url, results=False)
    path = filename or Path(settings.huey_sqlite_path or INSTANCE_DIR / "huey.sqlite3")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(path), results=False, storage_class=WakeUpStorage)


class WakeUpStorage(SqliteStorage):
    """Huey's SQLite file, written without waiting for the disk at each task.

    A task here only says "look now": the message or reply it names is already committed
    in the application's database, and the minute sweeps find any row whose task was lost.
    So the file may lose its last tasks in a power cut (WAL with synchronous=NORMAL stays
    consistent), and a webhook does not pay a second disk flush for a hint.
    """

    def _create_connection(self) -> sqlite3.Connection:
        connection = super()._create_connection()
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection


def senders_from_settings(settings: Settings) -> dict[str, Sender]:
    """The real senders whose credentials are set; their modules are imported only then."""
    senders: dict[str, Sender] = {}
    if settings.telegram_bot_token:
        from bot.channels.telegram import TelegramSender
        senders["telegram"] = TelegramSender(settings)
    if settings.twilio_account_sid and settings.twilio_auth_token and settings.sms_sender:
        from bot.channels.sms import SmsSender
        senders["sms"] = SmsSender(settings)
    return senders


class Jobs:
    """A Huey instance and its tasks; what the tasks need is built lazily in the worker."""

    def __init__(self, huey: Huey, settings: Settings, *,
                 session_factory: sessionmaker[Session] | None = None,
                 make_senders: Callable[[Settings], dict[str, Sender]] = senders_from_settings,
                 clock: Callable[[], datetime] = utcnow, limits: RateLimits | None = None,
                 lease: timedelta = LEASE):
        self.huey, self.settings, self.clock, self.lease = huey, settings, clock, lease
        self.stopping = threading.Event()  # set by the worker on SIGTERM / SIGINT
        self._session_factory, self._make_senders, self._limits = session_factory, make_senders, limits
        self._senders: dict[str, Sender] | None = None
        self._runtime: Runtime | None = None
        self._lock = threading.RLock()
        self.handle_inbound = huey.task(name="handle_inbound")(self._handle_inbound)
        self.sweep_inbound = huey.task(name="sweep_inbound")(self._sweep_inbound)
        self.deliver_now = huey.task(name="deliver_now")(self._deliver_now)
        self.inbound_due = huey.periodic_task(crontab(), name="inbound_due")(self._inbound_due)
        self.deliver_due = huey.periodic_task(crontab(), name="deliver_due")(self._deliver_due)
        self.remind = huey.periodic_task(crontab(), name="remind")(self._remind)

    def enqueue_inbound(self, item_id: int) -> bool:
        """Ask a worker to handle this inbound queue row; False (logged) if unreachable."""
        return self._enqueue(self.handle_inbound, item_id)

    def enqueue_delivery(self, ids: Iterable[int]) -> bool:
        """Ask a worker to send these rows now; False (logged) if the queue is unreachable."""
        return self._enqueue(self.deliver_now, list(ids))

    def _enqueue(self, task: Any, *args: Any) -> bool:
        try:
            task(*args)
            return True
        except Exception:
            log.warning("job queue unavailable: the minute sweep will do it", exc_info=True)
            return False

    @property
    def session_factory(self) -> sessionmaker[Session]:
        """The database of this process (DATABASE_URL), opened on first use."""
        with self._lock:
            if self._session_factory is None:
                self._session_factory = make_session_factory(make_engine())
            return self._session_factory

    @property
    def runtime(self) -> Runtime:
        """The runtime that handles inbound messages in this process, built on first use."""
        with self._lock:
            if self._runtime is None:
                from bot.runtime import Runtime
                self._runtime = Runtime(self.session_factory, clock=self.clock,
                                        reopen_closed_cases=self.settings.reopen_closed_cases,
                                        service=self.settings.service_contact())
            return self._runtime

    def senders(self) -> dict[str, Sender]:
        """The senders of this process, built on first use (they are thread-safe)."""
        with self._lock:
            if self._senders is None:
                self._senders = self._make_senders(self.settings)
            return self._senders

    def _handle_inbound(self, item_id: int) -> None:
        """Task: handle this person's queued messages up to this one, then send the replies."""
        from bot.inbound_worker import handle
        self._deliver_replies(handle(self.runtime, item_id))

    def _sweep_inbound(self, older_than_seconds: float) -> None:
        """Task: handle the inbound rows whose job was lost (all of them at start-up)."""
        from bot.inbound_worker import sweep
        replies = sweep(self.runtime, self.clock(), timedelta(seconds=older_than_seconds))
        self._deliver_replies(replies)

    def _inbound_due(self) -> None:
        """Periodic task: the inbound sweep."""
        from bot.inbound_worker import SWEEP_AFTER
        self._sweep_inbound(SWEEP_AFTER.total_seconds())

    def _deliver_replies(self, ids: list[int]) -> None:
        if ids:
            self.enqueue_delivery(ids)

    def _deliver_now(self, ids: list[int]) -> None:
        """Task: deliver these rows (and whatever else is due) now."""
        report = self._drain(ids)
        self._follow_up(report.retry_at)

    def _deliver_due(self) -> None:
        """Periodic task: deliver what is due, and come back for what falls due soon."""
        from bot.delivery import next_due
        report = self._drain([])
        soon = next_due(self.session_factory, self.senders(), self.clock())
        self._follow_up(min(filter(None, (report.retry_at, soon)), default=None))

    def _remind(self) -> None:
        """Periodic task: remind or expire idle conversations, then send what that queued;
        hand to the team the referred people who did not answer the consent SMS."""
        from bot import consent_sweep
        from bot.reminders import sweep
        if sweep(self.session_factory, self.settings, self.clock()):
            self.enqueue_delivery([])
        consent_sweep.sweep(self.session_factory, self.settings, self.clock())

    def _drain(self, ids: list[int]) -> DeliveryReport:
        from bot.delivery import DeliveryReport, drain
        from bot.delivery_limits import shared_limits
        senders = self.senders()
        if not senders:
            return DeliveryReport()
        report = drain(self.session_factory, senders, self.clock, self.settings, ids=ids,
                       limits=self._limits or shared_limits(self.settings),
                       stop=self.stopping, lease=self.lease)
        if report.sent or report.retried or report.failed:
            log.info("delivery: %d sent, %d to retry, %d failed", report.sent, report.retried,
                     report.failed)
        return report

    def _follow_up(self, when: datetime | None) -> None:
        """Schedule one more delivery at `when` if the minute sweep would be late."""
        if when is None or self.stopping.is_set():
            return
        delay = (when - self.clock()).total_seconds()
        if delay <= FOLLOW_UP_HORIZON.total_seconds():
            self.deliver_now.schedule(args=([],), delay=max(delay, 0) + 0.5)


_default: Jobs | None = None
_default_lock = threading.Lock()


def default_jobs(settings: Settings | None = None) -> Jobs:
    """The process's Jobs, from the environment's settings unless given."""
    global _default
    with _default_lock:
        if _default is None:
            settings = settings or Settings.from_env()
            _default = Jobs(make_huey(settings), settings)
        return _default


def enqueue_delivery(ids: Iterable[int]) -> bool:
    """For the web process, after the commit that queued replies; never raises."""
    try:
        return default_jobs().enqueue_delivery(ids)
    except Exception:
        log.warning("job queue unavailable: the minute sweep will deliver", exc_info=True)
        return False
