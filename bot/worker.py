"""The worker process: Huey's consumer (inbound messages, delivery, sweeps, reminders).

SIGTERM (what a PaaS sends before stopping a dyno) and SIGINT (Ctrl-C) both stop it
gracefully: each delivery finishes the message in hand, records it, gives the rest of
its batch back to the outbox, and the process exits.
"""
from __future__ import annotations

import logging
import signal
import threading

from bot.jobs import Jobs, default_jobs
from bot.settings import Settings

log = logging.getLogger(__name__)
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
HEALTH_CHECK_SECONDS = 10.0
IDLE_POLL_SECONDS = 0.25  # an idle worker looks for a new task this often: a reply's delay


def run_worker(settings: Settings, jobs: Jobs | None = None, workers: int = 2) -> None:
    """Run the consumer (workers threads, periodic tasks) until SIGTERM or SIGINT."""
    jobs = jobs or default_jobs(settings)
    consumer = jobs.huey.create_consumer(workers=workers, periodic=True, worker_type="thread",
                                         max_delay=IDLE_POLL_SECONDS)
    stop = threading.Event()
    # Huey's own handlers treat SIGTERM as "interrupt now"; ours replace them after
    # start(), and a signal arriving meanwhile waits (blocked) for them.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        consumer.start()
        for signum in STOP_SIGNALS:
            signal.signal(signum, lambda *_: stop.set())
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    log.info("worker started with %d thread(s)", workers)
    jobs.sweep_inbound(0)  # at once: inbound messages queued while no worker ran
    jobs.deliver_due()  # and what is due now, and the leases a dead worker left
    while not stop.wait(HEALTH_CHECK_SECONDS):
        consumer.check_worker_health()
    log.info("stopping: finishing the messages in hand")
    jobs.stopping.set()
    consumer.stop(graceful=True)
    log.info("worker stopped")
