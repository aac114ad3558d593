"""THE CRASH TEST: a real worker process killed mid-batch, restarted; nothing is lost.

SIGTERM is a graceful stop: the message in hand is finished and recorded, so every
message reaches the provider exactly once. SIGKILL gives no such chance: a message the
provider accepted just before the kill, but whose success was not yet committed, is sent
again once its lease expires. Without a provider idempotency key no outbox can close that
gap, so the test allows at most one such duplicate per worker thread (each thread has at
most one message in flight), and only for a message that was being sent at the kill.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.jobs import Jobs, make_huey
from bot.settings import Settings
from storage.db import REPO_ROOT
from storage.models import Message, utcnow
from tests.bot.delivery.crash_worker import WORKER_THREADS
from tests.bot.delivery.support import add_outbox

ADDRESSES, PER_ADDRESS = 20, 3  # 60 messages
PROVIDER_DELAY = 0.02  # seconds the counting server takes to answer
LEASE_SECONDS = 2  # short, so the test need not wait two minutes after a SIGKILL


class CountingServer:
    """The "provider": records every message it accepts, then answers after a delay."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []
        lock, received = threading.Lock(), self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                message = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with lock:  # accepted: from here on, the message has left
                    received.append((message["address"], message["body"]))
                    provider_id = f"P{len(received)}"
                time.sleep(PROVIDER_DELAY)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(provider_id.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}/messages"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


@pytest.fixture
def server() -> Iterator[CountingServer]:
    server = CountingServer()
    yield server
    server.http.shutdown()
    server.http.server_close()


class WorkerProcess:
    """`python -m tests.bot.delivery.crash_worker`, its output kept in a file."""

    started: list["WorkerProcess"] = []  # killed at the end of the test, whatever happened

    def __init__(self, env: dict[str, str], log: Path):
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.bot.delivery.crash_worker"], cwd=REPO_ROOT, env=env,
                stdout=output, stderr=subprocess.STDOUT)
        WorkerProcess.started.append(self)

    def stop(self, signum: int) -> int:
        self.process.send_signal(signum)
        return self.process.wait(15)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(autouse=True)
def _no_worker_left() -> Iterator[None]:
    """A failed test must not leave a worker running: it would drain the next tests' rows."""
    yield
    while WorkerProcess.started:
        process = WorkerProcess.started.pop().process
        if process.poll() is None:
            process.kill()
            process.wait(15)


def wait_until(condition: Callable[[], bool], timeout: float, what: str, worker: WorkerProcess) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}; worker output:\n{worker.output()}")
        time.sleep(0.02)


@pytest.mark.parametrize("kill", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_a_worker_killed_mid_batch_loses_nothing(kill, db_url, session_factory, db, server, tmp_path):
    now = utcnow()  # the worker process runs on the real clock
    ids = []
    for n in range(ADDRESSES):
        bodies = [f"{n}-{k}" for k in range(PER_ADDRESS)]
        ids += add_outbox(session_factory, "sms", f"+336{n:08d}", bodies, now)
    huey_file = tmp_path / "huey.sqlite3"
    env = {**os.environ, "DATABASE_URL": db_url, "CRASH_SERVER_URL": server.url,
           "CRASH_HUEY_FILE": str(huey_file), "CRASH_LEASE_SECONDS": str(LEASE_SECONDS),
           "CRASH_LOG_LEVEL": "INFO"}
    web = Jobs(make_huey(Settings(), filename=huey_file), Settings())  # as the web process would
    for start in range(0, len(ids), PER_ADDRESS):
        assert web.enqueue_delivery(ids[start:start + PER_ADDRESS])

    worker = WorkerProcess(env, tmp_path / "worker.log")
    wait_until(lambda: len(server.received) >= 20, 30, "the first 20 messages", worker)
    returncode = worker.stop(kill)
    in_flight = {m.body for m in db.scalars(select(Message).where(Message.status == "sending"))}
    sent_before_restart = len(server.received)
    assert sent_before_restart < len(ids), "the kill came too late to test anything"

    restarted = WorkerProcess(env, tmp_path / "worker.log")
    pending = select(Message.id).where(Message.status.in_(("queued", "sending")))
    wait_until(lambda: not db.scalars(pending).all(), 30, "an empty outbox", restarted)
    assert restarted.stop(signal.SIGTERM) == 0, restarted.output()

    rows = db.scalars(select(Message).order_by(Message.id)).all()
    assert [row.status for row in rows] == ["sent"] * len(ids)
    assert all(row.attempts == 1 for row in rows)  # each success recorded once
    assert len({row.provider_id for row in rows}) == len(ids)
    times = Counter(body for _, body in server.received)
    assert set(times) == {row.body for row in rows}  # every message reached the provider
    for n in range(ADDRESSES):  # and each conversation in order
        firsts = list(dict.fromkeys(body for _, body in server.received if body.startswith(f"{n}-")))
        assert firsts == [f"{n}-{k}" for k in range(PER_ADDRESS)]
    duplicates = {body: count - 1 for body, count in times.items() if count > 1}
    if kill == signal.SIGTERM:
        assert returncode == 0, worker.output()
        assert not in_flight  # the message in hand was recorded, the rest given back
        assert duplicates == {}  # exactly once
    else:
        assert returncode == -signal.SIGKILL
        assert sum(duplicates.values()) <= WORKER_THREADS
        assert set(duplicates) <= in_flight  # only what was being sent at the kill
    print(f"{kill.name}: {sent_before_restart} sent before the kill, {len(in_flight)} rows "
          f"left sending, duplicates {duplicates or 'none'}")

