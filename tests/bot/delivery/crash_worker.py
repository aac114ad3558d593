"""The worker of the crash test, as a process of its own: the real consumer (bot.worker),
the embedded queue, and a sender posting each message to the test's counting server.

Environment: DATABASE_URL, CRASH_SERVER_URL, CRASH_HUEY_FILE, CRASH_LEASE_SECONDS and
CRASH_LOG_LEVEL (the log goes to a file the test shows when it fails).
"""
from __future__ import annotations

import json
import logging
import os
import urllib.request
from datetime import timedelta
from pathlib import Path

from bot.delivery_limits import RateLimits
from bot.jobs import Jobs, make_huey
from bot.settings import Settings
from bot.worker import run_worker
from storage.db import make_engine, make_session_factory

WORKER_THREADS = 2


class CountedSender:
    """Posts {address, body} to the counting server; its answer is the provider id."""

    channel = "sms"

    def __init__(self, url: str):
        self.url = url

    def send(self, address: str, body: str, buttons: list[dict[str, str]] | None) -> str:
        data = json.dumps({"address": address, "body": body}).encode()
        request = urllib.request.Request(self.url, data, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.read().decode()


def main() -> None:
    logging.basicConfig(level=os.environ.get("CRASH_LOG_LEVEL", "WARNING"))
    settings = Settings()
    sender = CountedSender(os.environ["CRASH_SERVER_URL"])
    jobs = Jobs(make_huey(settings, filename=Path(os.environ["CRASH_HUEY_FILE"])), settings,
                session_factory=make_session_factory(make_engine(os.environ["DATABASE_URL"])),
                make_senders=lambda _: {"sms": sender}, limits=RateLimits({}),
                lease=timedelta(seconds=float(os.environ["CRASH_LEASE_SECONDS"])))
    run_worker(settings, jobs=jobs, workers=WORKER_THREADS)


if __name__ == "__main__":
    main()
