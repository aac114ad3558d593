"""The bot worker the benchmark runs next to gunicorn: `python -m bot worker` (the
Procfile's `worker`), on the benchmark's own queue (BENCH_QUEUE_NAME; HUEY_SQLITE_PATH or
REDIS_URL say where it is). No sender is configured: replies are queued in the outbox,
not sent."""
from __future__ import annotations

import logging
import os

from bot.jobs import Jobs, make_huey
from bot.settings import Settings
from bot.worker import run_worker

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env()
    name = os.environ.get("BENCH_QUEUE_NAME") or "relais"
    run_worker(settings, jobs=Jobs(make_huey(settings, name=name), settings))
