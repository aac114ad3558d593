#!/usr/bin/env python3
"""Benchmark of the Twilio SMS webhook served by gunicorn, against a bare Flask endpoint.

    .venv/bin/python bench/webhook_bench.py --db both -n 2000 --rate 100,50,25

(bench/README.md, in French, has the command used for the published results and the
results themselves.) For each database (a SQLite file in a temporary directory on a real
disk, or the PostgreSQL database `bench`, dropped and recreated), the script:

1. prepares a fresh database: storage.migrate.upgrade(url), storage.seed.seed_demo;
   refuses a tmpfs directory or a PostgreSQL with fsync or synchronous_commit off;
2. starts `gunicorn --workers 2 --bind 127.0.0.1:PORT bench.app:app` (sync workers, as in
   the Procfile) with DATABASE_URL, TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL=http://127.0.0.1:PORT
   and the Huey queue in the temporary directory (BENCH_HUEY_FILE, see bench/app.py);
3. pre-builds signed Twilio form bodies: distinct MessageSid, fiction-range French mobile
   numbers (+33 6 39 98 xx xx) each going through the resident conversation
   Bonjour / oui / 1 / 2 / Sarcelles / 1 / 1 / oui (the last one creates a case);
   the first of them, sent one at a time, are the warm-up;
4. phase 1 (throughput): a closed loop of C concurrent clients on POST /bench/bare, then
   on POST /webhooks/twilio/sms; phase 2 (latency): an open-loop sender at a fixed rate
   (100/s for 20 s by default; more rates after a comma are measured too, the first one
   is judged) on the webhook, latency counted from the planned send time;
5. samples the gunicorn workers' VmHWM / VmRSS (/proc/<pid>/status) all along, and
   their PSS after each phase; accounts the CPU of the workers, of this client, of
   PostgreSQL and of everything else (other sessions share the machine: a phase where
   they took 0.25 core or more is marked "disturbed"; --retries runs again);
6. counts every non-2xx answer, every body containing "locked", every transport error,
   and the server log's tracebacks; checks afterwards that every acknowledged MessageSid
   is in the database and that every finished conversation made its case;
7. writes bench/results/<date>-<db>[-tag].json and prints a table with the targets.

--snapshot REV measures the committed code of REV in a temporary copy (git archive) with
this bench/ directory on top, for when the working tree is being edited.

The client runs on the same 2-core machine as the server: its CPU is measured and
reported. Only 127.0.0.1 is ever contacted. gunicorn is stopped (its own process group)
on every exit path, including Ctrl-C and SIGTERM; every loop and wait is bounded.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import queue
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.fakes.twilio_payloads import inbound_sms, sign  # noqa: E402  (after sys.path)

HOST = "127.0.0.1"
AUTH_TOKEN = "bench-" + "0123456789abcdef" * 2  # any token: the server is given the same
SMS_NUMBER = "+33700000000"  # the service's number (the "To" of every inbound SMS)
FICTION_PREFIX = "+3363998"  # ARCEP fiction range: 06 39 98 00 00 to 06 39 98 99 99
CONVERSATION = ("Bonjour", "oui", "1", "2", "Sarcelles", "1", "1", "oui")
SMS_PATH = "/webhooks/twilio/sms"
BARE_PATH = "/bench/bare"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/bench"
MB = 1024 * 1024
DISTURBED_CORES = 0.25  # CPU taken by processes foreign to the benchmark during a phase

TARGETS = {
    "ratio_min": 0.25,  # webhook throughput / bare throughput
    "p99_ms_max": 50.0,  # at the fixed rate
    "worker_mb_max": 150.0,  # peak resident memory of one web worker
}


# -- the messages ---------------------------------------------------------------------
def ramp_length(lanes: int) -> int:
    """Messages sent before every lane is active (their senders are closer together)."""
    return sum(sum(1 for lane in range(lanes) if tick >= lane % len(CONVERSATION))
               for tick in range(len(CONVERSATION)))


def conversation_stream(total: int, lanes: int) -> list[tuple[str, str, int]]:
    """`total` (sender, text, step) in sending order, in `lanes` staggered conversations.

    Lane l starts at tick l mod 8, so after the first 8 ticks every stretch of the stream
    holds all 8 steps in equal parts (new contacts, commune lookups, case creations…).
    A lane whose conversation is over goes on with a new number. Once all lanes run, two
    messages of one sender are `lanes` positions apart, more than the requests in flight
    (clients, open-loop threads), so a person's answers arrive in order; the ramp-up
    (ramp_length) is sent one request at a time as the warm-up.
    """
    numbers = iter(range(10_000))
    lane_state: list[list[Any] | None] = [None] * lanes
    out: list[tuple[str, str, int]] = []
    tick = 0
    while len(out) < total:
        for lane in range(lanes):
            if tick < lane % len(CONVERSATION):
                continue
            state = lane_state[lane]
            if state is None or state[1] == len(CONVERSATION):
                try:
                    state = [f"{FICTION_PREFIX}{next(numbers):04d}", 0]
                except StopIteration:
                    raise SystemExit("more than 10 000 conversations: lower -n or the rate") from None
                lane_state[lane] = state
            out.append((state[0], CONVERSATION[state[1]], state[1]))
            state[1] += 1
            if len(out) == total:
                break
        tick += 1
    return out


@dataclass
class Prepared:
    """One signed webhook request, and the same bytes posted to the bare endpoint."""

    sid: str
    sender: str
    step: int
    webhook: bytes
    bare: bytes


def raw_post(path: str, port: int, body: bytes, signature: str) -> bytes:
    head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: TwilioProxy/1.1\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            f"X-Twilio-Signature: {signature}\r\nAccept: */*\r\n\r\n")
    return head.encode("ascii") + body


def prepare(port: int, stream: list[tuple[str, str, int]]) -> list[Prepared]:
    """Sign every form for the public URL the server is told (PUBLIC_BASE_URL)."""
    url = f"http://{HOST}:{port}{SMS_PATH}"
    prepared = []
    for sender, text, step in stream:
        sid = "SM" + uuid.uuid4().hex
        form = inbound_sms(sender, SMS_NUMBER, text, sid)
        signature = sign(AUTH_TOKEN, url, form)
        body = urlencode(form).encode("utf-8")
        prepared.append(Prepared(sid, sender, step, raw_post(SMS_PATH, port, body, signature),
                                 raw_post(BARE_PATH, port, body, signature)))
    return prepared


# -- a minimal HTTP/1.1 client (pre-built bytes, no per-request encoding) --------------
class Client:
    """One connection, reused while the server keeps it open (gunicorn sync never does)."""

    def __init__(self, port: int, timeout: float):
        self.address = (HOST, port)
        self.timeout = timeout
        self.sock: socket.socket | None = None

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None

    def post(self, request: bytes) -> tuple[int, bytes]:
        reused = self.sock is not None
        try:
            return self._exchange(request)
        except (ConnectionError, _EmptyAnswer):
            self.close()
            if not reused:
                raise
        return self._exchange(request)  # a kept-alive socket the server had closed: once more

    def _exchange(self, request: bytes) -> tuple[int, bytes]:
        if self.sock is None:
            self.sock = socket.create_connection(self.address, timeout=self.timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock = self.sock
        sock.sendall(request)
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            chunk = sock.recv(65536)
            if not chunk:
                if buffer:
                    raise ConnectionError("connection closed inside the headers")
                raise _EmptyAnswer()
            buffer += chunk
            if len(buffer) > 1 << 20:
                raise ConnectionError("headers too long")
        head, _, body = buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(None, 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip().lower()
        length = int(headers.get(b"content-length", b"-1"))
        if length >= 0:
            while len(body) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError("connection closed inside the body")
                body += chunk
            closing = headers.get(b"connection") == b"close"
        else:  # no length: the body ends with the connection
            while chunk := sock.recv(65536):
                body += chunk
            closing = True
        if closing:
            self.close()
        return status, body


class _EmptyAnswer(Exception):
    """The server closed the connection without a byte of answer."""


# -- measuring ------------------------------------------------------------------------
@dataclass
class Outcome:
    """What each request of a phase got: status (0: transport error), latency, body flags."""

    n: int
    status: list[int] = field(default_factory=list)
    latency: list[float] = field(default_factory=list)  # seconds; NaN when not sent
    service: list[float] = field(default_factory=list)  # from the actual send (open loop)
    locked: list[bool] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.status = [-1] * self.n
        self.latency = [math.nan] * self.n
        self.service = [math.nan] * self.n
        self.locked = [False] * self.n


def one_request(client: Client, request: bytes, out: Outcome, index: int, due: float | None) -> None:
    start = time.perf_counter()
    try:
        status, body = client.post(request)
        out.locked[index] = b"locked" in body.lower()
    except (OSError, ValueError, IndexError, _EmptyAnswer) as exc:
        client.close()
        status = 0
        out.errors.append(f"{type(exc).__name__}: {exc}"[:200])
    end = time.perf_counter()
    out.status[index] = status
    out.service[index] = end - start
    out.latency[index] = end - (due if due is not None else start)


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarize(out: Outcome, elapsed: float, sids: list[str] | None = None,
              steps: list[int] | None = None) -> dict[str, Any]:
    done = [lat for lat in out.latency if not math.isnan(lat)]
    done.sort()
    service = sorted(s for s in out.service if not math.isnan(s))
    ok = sum(1 for s in out.status if 200 <= s < 300)
    non_2xx: dict[str, int] = {}
    for s in out.status:
        if s >= 0 and not 200 <= s < 300:
            key = "transport_error" if s == 0 else str(s)
            non_2xx[key] = non_2xx.get(key, 0) + 1
    ms = lambda v: round(v * 1000, 2)  # noqa: E731
    result = {
        "requests": out.n, "completed": len(done), "not_sent": out.status.count(-1),
        "ok_2xx": ok, "non_2xx": non_2xx, "non_2xx_total": sum(non_2xx.values()),
        "bodies_with_locked": sum(out.locked), "elapsed_s": round(elapsed, 3),
        "rps": round(len(done) / elapsed, 1) if elapsed > 0 else None,
        "latency_ms": {"p50": ms(percentile(done, 50)), "p90": ms(percentile(done, 90)),
                       "p99": ms(percentile(done, 99)), "max": ms(done[-1]) if done else None,
                       "mean": ms(sum(done) / len(done)) if done else None},
        "service_ms": {"p50": ms(percentile(service, 50)), "p99": ms(percentile(service, 99)),
                       "max": ms(service[-1]) if service else None},
        "first_errors": out.errors[:5],
    }
    if steps is not None:  # latency per answer of the conversation: which step costs what
        by_step = {}
        for number, text in enumerate(CONVERSATION):
            values = sorted(lat for lat, step in zip(out.latency, steps)
                            if step == number and not math.isnan(lat))
            by_step[f"{number + 1}:{text}"] = {"n": len(values), "p50": ms(percentile(values, 50)),
                                               "p99": ms(percentile(values, 99))}
        result["latency_ms_by_step"] = by_step
    if sids is not None:
        result["acknowledged_sids"] = [sid for sid, s in zip(sids, out.status) if 200 <= s < 300]
    return result


def add_cpu_cost(phase: dict[str, Any]) -> None:
    """CPU time of the workers (and PostgreSQL) per answered request, in ms.

    Steadier than requests/s when other processes share the machine: it says what one
    request costs, not how much CPU was left for it.
    """
    cpu, done = phase["cpu"], phase["completed"]
    if done:
        cpu["workers_cpu_ms_per_request"] = round(1000 * cpu["workers_cpu_s"] / done, 2)
        cpu["postgres_cpu_ms_per_request"] = round(
            1000 * cpu["postgres_cores"] * cpu["wall_s"] / done, 2)


def closed_loop(port: int, requests: list[bytes], concurrency: int, timeout: float,
                max_seconds: float) -> tuple[Outcome, float]:
    """C clients, each sending the next request as soon as its answer is in."""
    out = Outcome(len(requests))
    cursor = iter(range(len(requests)))
    lock = threading.Lock()
    go = threading.Barrier(concurrency + 1)
    deadline = [math.inf]

    def run() -> None:
        client = Client(port, timeout)
        go.wait()
        try:
            while time.perf_counter() < deadline[0]:
                with lock:
                    index = next(cursor, None)
                if index is None:
                    return
                one_request(client, requests[index], out, index, None)
        finally:
            client.close()

    threads = [threading.Thread(target=run, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    start = time.perf_counter()
    deadline[0] = start + max_seconds
    go.wait()
    for thread in threads:
        thread.join(max_seconds + timeout + 5)
    return out, time.perf_counter() - start


def open_loop(port: int, requests: list[bytes], rate: float, timeout: float,
              senders: int) -> tuple[Outcome, float]:
    """Requests sent at a fixed rate whatever the answers; latency from the planned time.

    The planned time, not the actual send, is the start of each measure: if the server
    (or this client) falls behind, the waiting counts (no coordinated omission).
    """
    out = Outcome(len(requests))
    work: queue.SimpleQueue[tuple[int, float] | None] = queue.SimpleQueue()

    def run() -> None:
        client = Client(port, timeout)
        try:
            while (item := work.get()) is not None:
                index, due = item
                one_request(client, requests[index], out, index, due)
        finally:
            client.close()

    threads = [threading.Thread(target=run, daemon=True) for _ in range(senders)]
    for thread in threads:
        thread.start()
    start = time.perf_counter() + 0.05
    for index in range(len(requests)):
        due = start + index / rate
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        work.put((index, due))
    for _ in threads:
        work.put(None)
    for thread in threads:
        thread.join(timeout + 5)
    return out, time.perf_counter() - start


# -- the server's processes -------------------------------------------------------------
def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM in bytes (empty if the process is gone)."""
    values = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    name, amount, _unit = line.split()
                    values[name[:-1]] = int(amount) * 1024
    except OSError:
        return {}
    return values


def proc_pss(pid: int) -> int:
    """Proportional set size in bytes: the worker's own pages plus its share of the rest."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def proc_cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def children_of(parent: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            pids.append(int(entry))
    return sorted(pids)


def ticks_of_command(name: str) -> dict[int, int]:
    """CPU ticks of each process named `name` (the PostgreSQL server and its backends)."""
    ticks = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        if text[text.find("(") + 1:text.rfind(")")] == name:
            fields = text.rsplit(")", 1)[1].split()
            ticks[int(entry)] = int(fields[11]) + int(fields[12])
    return ticks


def wait_until_idle(max_seconds: float, busy_pct: float = 25.0) -> float:
    """Wait (bounded) until the machine is nearly idle; return the last busy % seen."""
    deadline = time.monotonic() + max_seconds
    while True:
        before = machine_cpu()
        time.sleep(2)
        busy, _iowait, total = (b - a for a, b in zip(before, machine_cpu()))
        seen = 100 * busy / total if total else 0.0
        if seen <= busy_pct or time.monotonic() >= deadline:
            return round(seen, 1)
        print(f"  machine occupée à {seen:.0f} % par d'autres processus : on attend…", flush=True)


def machine_cpu() -> tuple[int, int, int]:
    """(busy, iowait, total) jiffies of all CPUs, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle, iowait = values[3], values[4]
    total = sum(values[:8])
    return total - idle - iowait, iowait, total


class WorkerMonitor(threading.Thread):
    """Samples the gunicorn workers' memory every `interval` seconds, per phase."""

    def __init__(self, master: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.master, self.interval = master, interval
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.workers: dict[int, dict[str, int]] = {}  # pid -> peak VmHWM, VmRSS
        self.phase: str | None = None
        self.phase_peak_rss: dict[str, int] = {}
        self.pss_after_phase: dict[str, dict[int, int]] = {}
        self.samples = 0

    def pids(self) -> list[int]:
        return children_of(self.master)

    def sample(self) -> None:
        for pid in self.pids():
            values = proc_status(pid)
            if not values:
                continue
            with self.lock:
                peak = self.workers.setdefault(pid, {"VmHWM": 0, "VmRSS": 0})
                for name in ("VmHWM", "VmRSS"):
                    peak[name] = max(peak[name], values.get(name, 0))
                if self.phase:
                    self.phase_peak_rss[self.phase] = max(self.phase_peak_rss.get(self.phase, 0),
                                                          values.get("VmRSS", 0))
                self.samples += 1

    def run(self) -> None:
        while not self.stop_event.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self.stop_event.set()
        self.join(5)
        self.sample()


class Phase:
    """CPU accounting of one phase: server workers, this client, the whole machine."""

    def __init__(self, monitor: WorkerMonitor, name: str):
        self.monitor, self.name = monitor, name

    def __enter__(self) -> "Phase":
        self.monitor.sample()
        self.monitor.phase = self.name
        self.pids = self.monitor.pids()
        self.worker_ticks = sum(proc_cpu_ticks(pid) for pid in self.pids)
        self.postgres_ticks = ticks_of_command("postgres")
        self.client = resource.getrusage(resource.RUSAGE_SELF)
        self.machine = machine_cpu()
        self.wall = time.perf_counter()
        return self

    def __exit__(self, *exc: Any) -> None:
        wall = time.perf_counter() - self.wall
        self.monitor.sample()
        self.monitor.phase = None
        self.monitor.pss_after_phase[self.name] = {pid: proc_pss(pid) for pid in self.monitor.pids()}
        hz = os.sysconf("SC_CLK_TCK")
        ticks = sum(proc_cpu_ticks(pid) for pid in self.monitor.pids()) - self.worker_ticks
        # Backends that ended during the phase are not counted (their ticks are gone).
        postgres = sum(t - self.postgres_ticks.get(pid, 0)
                       for pid, t in ticks_of_command("postgres").items()) / hz / wall
        client = resource.getrusage(resource.RUSAGE_SELF)
        client_cores = (client.ru_utime + client.ru_stime - self.client.ru_utime
                        - self.client.ru_stime) / wall
        busy, iowait, total = (b - a for a, b in zip(self.machine, machine_cpu()))
        cores = os.cpu_count() or 1
        busy_cores = cores * busy / total if total else 0.0
        workers = ticks / hz / wall
        self.cpu = {
            "wall_s": round(wall, 2),
            "workers_cpu_s": round(ticks / hz, 2),
            "workers_cores": round(workers, 2),
            "client_cores": round(client_cores, 2),
            "postgres_cores": round(postgres, 2),
            # Everything else that ran meanwhile (kernel work of the above included).
            "other_cores": round(max(busy_cores - workers - client_cores - postgres, 0), 2),
            "machine_busy_pct": round(100 * busy / total, 1) if total else None,
            "machine_iowait_pct": round(100 * iowait / total, 1) if total else None,
        }
        # Other sessions share this machine: a phase where they took a quarter of a core
        # or more is marked, its figures are lower than the code's.
        self.cpu["disturbed"] = self.cpu["other_cores"] >= DISTURBED_CORES


class Server:
    """gunicorn in its own process group, stopped on every way out."""

    def __init__(self, port: int, workers: int, env: dict[str, str], workdir: Path):
        self.port, self.workers, self.env, self.workdir = port, workers, env, workdir
        self.log_path = workdir / "gunicorn.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        command = [sys.executable, "-m", "gunicorn", "--workers", str(self.workers),
                   "--bind", f"{HOST}:{self.port}",
                   "--control-socket", str(self.workdir / "gunicorn.ctl"),
                   "bench.app:app"]
        self.command = command
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(command, cwd=REPO, env=self.env, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        healthy = 0
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}):\n{self.log_tail()}")
            if len(children_of(self.proc.pid)) >= self.workers and self._healthz():
                healthy += 1
                if healthy >= 3:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready after {timeout}s:\n{self.log_tail()}")

    def _healthz(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=5) as sock:
                sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n"
                             .encode())
                return sock.recv(64).startswith(b"HTTP/1.1 200")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        group = self.proc.pid  # its own session: the group id is the master's pid
        try:
            os.killpg(group, signal.SIGTERM)
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.proc.wait(5)
        except ProcessLookupError:
            pass

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def log_counts(self) -> dict[str, int]:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        patterns = {
            "database_is_locked": r"database is locked",
            "tracebacks": r"^Traceback ",
            "handling_failed": r"handling failed",
            "job_queue_unavailable": r"job queue unavailable",
            "worker_timeout": r"WORKER TIMEOUT",
            "error_lines": r"\[ERROR\]|^ERROR:",
        }
        return {name: len(re.findall(p, text, re.MULTILINE)) for name, p in patterns.items()}


# -- the databases ------------------------------------------------------------------------
def filesystem_of(path: Path) -> str:
    """The type of the filesystem holding `path` (longest mount point in /proc/mounts)."""
    best, kind = "", "?"
    with open("/proc/mounts") as mounts:
        for line in mounts:
            _dev, mount, fstype = line.split()[:3]
            if str(path).startswith(mount) and len(mount) > len(best):
                best, kind = mount, fstype
    return kind


def fsync_cost_ms(directory: Path, count: int = 50) -> float:
    """Median time of a 4 KiB write + fdatasync in `directory`: the price of one commit."""
    path = directory / "fsync-probe"
    times = []
    with open(path, "wb") as probe:
        for _ in range(count):
            probe.write(os.urandom(4096))
            probe.flush()
            start = time.perf_counter()
            os.fdatasync(probe.fileno())
            times.append(time.perf_counter() - start)
    path.unlink()
    times.sort()
    return round(times[len(times) // 2] * 1000, 3)


def prepare_sqlite(workdir: Path, allow_tmpfs: bool) -> tuple[str, dict[str, Any]]:
    fstype = filesystem_of(workdir.resolve())
    if fstype in ("tmpfs", "ramfs") and not allow_tmpfs:
        raise SystemExit(f"{workdir} is on {fstype}: fsync would cost nothing there; "
                         "use --tmpdir on a real disk")
    import sqlite3

    from storage.db import SQLITE_PRAGMAS
    url = f"sqlite:///{workdir / 'relais.sqlite3'}"
    return url, {"kind": "sqlite", "file": str(workdir / "relais.sqlite3"), "filesystem": fstype,
                 "sqlite_version": sqlite3.sqlite_version, "pragmas": list(SQLITE_PRAGMAS)}


def prepare_postgres(url: str) -> tuple[str, dict[str, Any]]:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in ("test", "postgres", "template0", "template1"):
        raise SystemExit(f"refusing to drop the database {name!r}: use a database of your own")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the benchmark only talks to 127.0.0.1")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
        settings = {key: conn.execute(f"SHOW {key}").fetchone()[0] for key in (
            "server_version", "fsync", "synchronous_commit", "full_page_writes",
            "wal_sync_method", "shared_buffers", "max_connections")}
    if settings["fsync"] != "on" or settings["synchronous_commit"] not in ("on", "remote_apply",
                                                                           "remote_write", "local"):
        raise SystemExit(f"PostgreSQL is not durable (fsync={settings['fsync']}, "
                         f"synchronous_commit={settings['synchronous_commit']}): no benchmark")
    return url, {"kind": "postgres", "database": name, **settings}


def migrate_and_seed(url: str) -> None:
    from sqlalchemy.pool import NullPool

    from storage import migrate
    from storage.db import make_engine, make_session_factory
    from storage.seed import seed_demo

    migrate.upgrade(url)
    engine = make_engine(url, poolclass=NullPool)
    try:
        with make_session_factory(engine).begin() as session:
            seed_demo(session)
    finally:
        engine.dispose()


def check_database(url: str, acknowledged: set[str]) -> dict[str, Any]:
    """What the runs left in the database; every acknowledged MessageSid must be there."""
    from sqlalchemy import func, select
    from sqlalchemy.pool import NullPool

    from storage.db import make_engine, make_session_factory
    from storage.models import Case, ChannelAddress, Contact, Conversation, Message

    engine = make_engine(url, poolclass=NullPool)
    try:
        with make_session_factory(engine)() as session:
            count = lambda q: session.scalar(q)  # noqa: E731
            inbound = select(Message.provider_id).where(Message.direction == "in",
                                                        Message.channel == "sms")
            stored = set(session.scalars(inbound))
            return {
                "contacts": count(select(func.count(Contact.id))),
                "channel_addresses": count(select(func.count(ChannelAddress.id))),
                "conversations": count(select(func.count(Conversation.id))),
                "messages_in": count(select(func.count(Message.id)).where(Message.direction == "in")),
                "messages_out_queued": count(select(func.count(Message.id)).where(
                    Message.direction == "out", Message.status == "queued")),
                "inbound_not_handled": count(select(func.count(Message.id)).where(
                    Message.direction == "in", Message.error.is_not(None))),
                "cases": count(select(func.count(Case.id))),
                "acknowledged": len(acknowledged),
                "acknowledged_missing_in_db": len(acknowledged - stored),
            }
    finally:
        engine.dispose()


def queue_pending(env: dict[str, str], flush: bool) -> int | None:
    """Tasks waiting in the benchmark's Huey queue (then emptied when `flush`)."""
    from bot.jobs import make_huey
    from bot.settings import Settings

    settings = Settings(redis_url=env.get("REDIS_URL", ""))
    huey_file = env.get("BENCH_HUEY_FILE")
    try:
        huey = make_huey(settings, name=env["BENCH_QUEUE_NAME"],
                         filename=Path(huey_file) if huey_file else None)
        pending = huey.pending_count()
        if flush:
            huey.flush()
        return pending
    except Exception as exc:  # a report, not a failure of the benchmark
        print(f"  (queue not readable: {exc})", file=sys.stderr)
        return None


# -- one run --------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def machine_facts() -> dict[str, Any]:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    from importlib.metadata import version
    with open("/proc/meminfo") as meminfo:
        mem_kb = int(meminfo.readline().split()[1])
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem_kb / MB, 1),
            "kernel": platform.release(), "python": platform.python_version(),
            "gunicorn": version("gunicorn"), "flask": version("flask"),
            "sqlalchemy": version("sqlalchemy"), "psycopg": version("psycopg"),
            "huey": version("huey"), "loadavg_before": os.getloadavg()}


def source_facts() -> dict[str, Any]:
    """Which code was measured: the commit, and the files changed since (if any)."""
    if os.environ.get("BENCH_SOURCE"):
        return json.loads(os.environ["BENCH_SOURCE"])
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], check=True,
                                capture_output=True, text=True).stdout.strip()
        changed = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain"], check=True,
                                 capture_output=True, text=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "note": "not a git checkout"}
    return {"commit": commit, "tree": "working tree",
            "changed_files": [line for line in changed if not line[3:].startswith("bench/")]}


def run_from_snapshot(revision: str, argv: list[str]) -> int:
    """Run this script in a copy of `revision` (git archive) with today's bench/ on top.

    For measuring committed code while the working tree is being edited: the copy has
    the committed project files and this directory's bench/ scripts, nothing else.
    """
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", revision + "^{commit}"],
                            check=True, capture_output=True, text=True).stdout.strip()
    snapshot = Path(tempfile.mkdtemp(prefix="relais-bench-src-"))
    try:
        archive = subprocess.Popen(["git", "-C", str(REPO), "archive", commit],
                                   stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", str(snapshot)], stdin=archive.stdout, check=True)
        archive.stdout.close()
        if archive.wait() != 0:
            raise SystemExit(f"git archive {revision} failed")
        shutil.rmtree(snapshot / "bench", ignore_errors=True)
        shutil.copytree(REPO / "bench", snapshot / "bench",
                        ignore=shutil.ignore_patterns("results", "__pycache__"))
        env = dict(os.environ, BENCH_SOURCE=json.dumps(
            {"commit": commit, "tree": f"git archive {revision} + bench/ of the working tree"}))
        child = subprocess.Popen([sys.executable, str(snapshot / "bench" / "webhook_bench.py"),
                                  *argv], env=env)
        try:
            return child.wait()
        except BaseException:
            child.send_signal(signal.SIGTERM)  # it stops its own gunicorn
            child.wait(60)
            raise
    finally:
        shutil.rmtree(snapshot, ignore_errors=True)


def run_one(db: str, args: argparse.Namespace) -> dict[str, Any]:
    facts = machine_facts()  # before the run: the load average says if the machine was idle
    workdir = Path(tempfile.mkdtemp(prefix=f"relais-bench-{db}-", dir=args.tmpdir))
    server: Server | None = None
    env_for_queue: dict[str, str] = {}
    try:
        if db == "sqlite":
            url, db_facts = prepare_sqlite(workdir, args.allow_tmpfs)
        else:
            url, db_facts = prepare_postgres(args.pg_url)
        db_facts["fsync_probe_ms"] = fsync_cost_ms(workdir)
        print(f"[{db}] base prête : {db_facts}", flush=True)
        migrate_and_seed(url)

        port = args.port or free_port()
        queue_name = f"relais-bench-{uuid.uuid4().hex[:8]}"
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "REDIS_URL", "PUBLIC_BASE_URL", "TWILIO_AUTH_TOKEN",
                            "TWILIO_ACCOUNT_SID", "SMS_SENDER", "TELEGRAM_BOT_TOKEN",
                            "BENCH_HUEY_FILE", "BENCH_QUEUE_NAME")}
        env.update(DATABASE_URL=url, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
                   PUBLIC_BASE_URL=f"http://{HOST}:{port}", BENCH_QUEUE_NAME=queue_name,
                   PYTHONUNBUFFERED="1")
        if args.timings:
            (workdir / "timings").mkdir()
            env["BENCH_TIMINGS_DIR"] = str(workdir / "timings")
        if args.queue == "redis":
            env["REDIS_URL"] = args.redis_url
        else:
            env["BENCH_HUEY_FILE"] = str(workdir / "huey.sqlite3")
        env_for_queue = env
        queue_pending(env, flush=False)  # creates the SQLite queue's tables before the workers

        warmup = max(args.warmup, ramp_length(args.lanes))
        per_rate = [int(rate * args.duration) for rate in args.rates]
        total = warmup + args.n + sum(per_rate)
        stream = conversation_stream(total, args.lanes)
        prepared = prepare(port, stream)
        warm = prepared[:warmup]
        throughput = prepared[warmup:warmup + args.n]
        paced_sets, at = [], warmup + args.n
        for count in per_rate:
            paced_sets.append(prepared[at:at + count])
            at += count

        facts["busy_pct_before"] = wait_until_idle(args.idle_wait)
        server = Server(port, args.workers, env, workdir)
        server.start()
        print(f"[{db}] gunicorn prêt sur {HOST}:{port} (maître {server.proc.pid}, "
              f"workers {children_of(server.proc.pid)})", flush=True)
        monitor = WorkerMonitor(server.proc.pid)
        monitor.start()
        phases: dict[str, Any] = {}
        try:
            # Warm-up: both routes, every worker imported and connected (not reported).
            # One webhook at a time: while the lanes start, a person's successive answers
            # are only 8 apart in the stream, so concurrent clients could reorder them.
            closed_loop(port, [p.bare for p in warm], args.concurrency, args.timeout, 60)
            warm_out, _ = closed_loop(port, [p.webhook for p in warm], 1, args.timeout, 300)
            warm_summary = summarize(warm_out, 1, [p.sid for p in warm])

            with Phase(monitor, "bare") as phase:
                out, elapsed = closed_loop(port, [p.bare for p in throughput], args.concurrency,
                                           args.timeout, args.max_phase_seconds)
            phases["bare"] = {**summarize(out, elapsed), "cpu": phase.cpu}
            add_cpu_cost(phases["bare"])
            print(f"[{db}] bare : {phases['bare']['rps']} req/s", flush=True)

            with Phase(monitor, "webhook") as phase:
                out, elapsed = closed_loop(port, [p.webhook for p in throughput],
                                           args.concurrency, args.timeout, args.max_phase_seconds)
            phases["webhook"] = {**summarize(out, elapsed, [p.sid for p in throughput],
                                             [p.step for p in throughput]),
                                 "cpu": phase.cpu}
            add_cpu_cost(phases["webhook"])
            print(f"[{db}] webhook : {phases['webhook']['rps']} req/s", flush=True)

            # The first rate is the target's; the others show where the latency stands.
            for number, (rate, paced) in enumerate(zip(args.rates, paced_sets)):
                name = "paced" if number == 0 else f"paced_{rate:g}"
                with Phase(monitor, name) as phase:
                    out, elapsed = open_loop(port, [p.webhook for p in paced], rate,
                                             args.timeout, args.senders)
                phases[name] = {**summarize(out, elapsed, [p.sid for p in paced],
                                            [p.step for p in paced]),
                                "rate": rate, "cpu": phase.cpu}
                add_cpu_cost(phases[name])
                print(f"[{db}] {rate:g}/s : p99 {phases[name]['latency_ms']['p99']} ms",
                      flush=True)
        finally:
            monitor.stop()
            server.stop()

        acknowledged = set(warm_summary.pop("acknowledged_sids"))
        for name in [n for n in phases if n != "bare"]:
            acknowledged |= set(phases[name].pop("acknowledged_sids"))
        steps = [p.step for p in prepared]
        result: dict[str, Any] = {
            "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "command": os.environ.get("BENCH_COMMAND") or " ".join(
                ["python", "bench/webhook_bench.py", *sys.argv[1:]]),
            "source": source_facts(),
            "machine": facts,
            "database": db_facts,
            "server": {"command": " ".join(server.command[2:]), "workers": args.workers,
                       "worker_class": "sync",
                       "queue": "redis" if args.queue == "redis" else "huey sqlite (temp dir)"},
            "load": {"n": args.n, "concurrency": args.concurrency, "rates": args.rates,
                     "duration_s": args.duration, "warmup": warmup, "lanes": args.lanes,
                     "open_loop_senders": args.senders,
                     "distinct_senders": len({p.sender for p in prepared}),
                     "messages_per_step": {CONVERSATION[i] + f"#{i + 1}": steps.count(i)
                                           for i in range(len(CONVERSATION))}},
            "warmup_non_2xx": warm_summary["non_2xx_total"],
            "warmup_locked": warm_summary["bodies_with_locked"],
            "phases": phases,
            "memory_mb": {
                "workers": {str(pid): {"peak_VmHWM": round(v["VmHWM"] / MB, 1),
                                       "peak_VmRSS": round(v["VmRSS"] / MB, 1)}
                            for pid, v in sorted(monitor.workers.items())},
                "peak_rss_by_phase": {k: round(v / MB, 1) for k, v in monitor.phase_peak_rss.items()},
                "pss_after_phase": {phase: {str(pid): round(v / MB, 1) for pid, v in pss.items()}
                                    for phase, pss in monitor.pss_after_phase.items()},
                "samples": monitor.samples,
            },
            "server_log": server.log_counts(),
            "queue_pending_tasks": queue_pending(env, flush=args.queue == "redis"),
            "database_after": check_database(url, acknowledged),
        }
        # A case is created by the 8th answer ("oui" to the summary) of each conversation.
        result["database_after"]["cases_expected"] = sum(
            1 for p in prepared if p.step == len(CONVERSATION) - 1 and p.sid in acknowledged)
        if args.senders >= args.lanes or args.concurrency >= args.lanes:
            print("  attention : plus de requêtes en vol que de conversations parallèles "
                  "(--lanes) : les réponses d'une personne peuvent arriver dans le désordre")
        if args.timings:
            result["server_timings_ms_per_webhook"] = read_timings(workdir / "timings")
        result["targets"] = judge(result)
        return result
    except BaseException:
        if server is not None:
            print(f"--- fin du journal gunicorn ---\n{server.log_tail()}", file=sys.stderr)
        raise
    finally:
        if server is not None:
            server.stop()
        if args.queue == "redis" and env_for_queue:
            queue_pending(env_for_queue, flush=True)
        if args.keep:
            print(f"[{db}] dossier gardé : {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def read_timings(directory: Path) -> dict[str, Any]:
    """The workers' step timers (--timings), summed over workers, per webhook."""
    from bench import timings

    times: dict[str, float] = {}
    calls: dict[str, int] = {}
    nested: dict[str, float] = {}
    for path in directory.glob("*.json"):
        data = json.loads(path.read_text())
        for total, part in ((times, data["times"]), (calls, data["calls"]),
                            (nested, data.get("nested", {}))):
            for name, value in part.items():
                total[name] = total.get(name, 0) + value
    return timings.per_webhook(times, calls, list(times), nested)


def disturbance(result: dict[str, Any]) -> float:
    """The most CPU foreign processes took during a judged phase (bare, webhook, paced)."""
    return max(result["phases"][name]["cpu"]["other_cores"] for name in ("bare", "webhook", "paced"))


def judge(result: dict[str, Any]) -> dict[str, Any]:
    phases = result["phases"]
    ratio = phases["webhook"]["rps"] / phases["bare"]["rps"]
    p99 = phases["paced"]["latency_ms"]["p99"]
    peak = max((w["peak_VmHWM"] for w in result["memory_mb"]["workers"].values()), default=math.nan)
    errors = sum(p["non_2xx_total"] + p["not_sent"] for p in phases.values()) \
        + result["warmup_non_2xx"]
    locked = sum(p["bodies_with_locked"] for p in phases.values()) \
        + result["warmup_locked"] + result["server_log"]["database_is_locked"]
    db = result["database_after"]
    bare_cost = phases["bare"]["cpu"].get("workers_cpu_ms_per_request")
    hook_cost = phases["webhook"]["cpu"].get("workers_cpu_ms_per_request")
    return {
        "throughput_ratio": {"value": round(ratio, 3), "target": f">= {TARGETS['ratio_min']}",
                             "met": ratio >= TARGETS["ratio_min"],
                             # The same comparison by CPU cost per request (workers only):
                             # what the ratio would be with the workers alone on the CPUs.
                             "cpu_cost_ratio": round(bare_cost / hook_cost, 3)
                             if bare_cost and hook_cost else None},
        "p99_at_rate_ms": {"value": p99, "target": f"< {TARGETS['p99_ms_max']}",
                           "met": p99 < TARGETS["p99_ms_max"]},
        "worker_peak_mb": {"value": peak, "target": f"< {TARGETS['worker_mb_max']}",
                           "met": peak < TARGETS["worker_mb_max"]},
        "no_error_answer": {"value": {"non_2xx_or_unsent": errors, "locked": locked},
                            "target": "0", "met": errors == 0 and locked == 0},
        # Not in the list, but what "durably committed" means in practice:
        "acknowledged_all_stored": {"value": db["acknowledged_missing_in_db"], "target": "0",
                                    "met": db["acknowledged_missing_in_db"] == 0},
        "all_handled_by_bot": {"value": db["inbound_not_handled"] +
                               result["server_log"]["handling_failed"], "target": "0",
                               "met": db["inbound_not_handled"] == 0
                               and result["server_log"]["handling_failed"] == 0},
    }


def print_table(result: dict[str, Any]) -> None:
    db = result["database"]["kind"]
    phases = result["phases"]
    print(f"\n== {db} — {result['date']} — {result['machine']['nproc']} cœurs, "
          f"Python {result['machine']['python']}")
    print(f"{'phase':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'non-2xx':>9}"
          f"{'workers':>9}{'client':>8}{'pg':>6}{'autres':>8}{'CPU ms/req':>12}")
    for name in phases:
        p = phases[name]
        lat = p["latency_ms"]
        print(f"{name:<10}{p['rps']:>9}{lat['p50']:>9}{lat['p99']:>9}{lat['max']:>9}"
              f"{p['non_2xx_total']:>9}{p['cpu']['workers_cores']:>9}{p['cpu']['client_cores']:>8}"
              f"{p['cpu']['postgres_cores']:>6}{p['cpu']['other_cores']:>8}"
              f"{p['cpu'].get('workers_cpu_ms_per_request', '-'):>12}"
              f"{'  perturbée' if p['cpu']['disturbed'] else ''}")
    print("(workers, client, pg, autres : cœurs CPU occupés en moyenne pendant la phase ; "
          "CPU ms/req : temps CPU des workers par requête)")
    for pid, mem in result["memory_mb"]["workers"].items():
        print(f"worker {pid} : pic VmHWM {mem['peak_VmHWM']} Mo, VmRSS max {mem['peak_VmRSS']} Mo")
    if result.get("server_timings_ms_per_webhook"):
        print("étapes dans les workers (ms par webhook, --timings) :")
        for name, row in result["server_timings_ms_per_webhook"].items():
            print(f"    {name:<50}{row['ms'] if row['ms'] is not None else row['per_webhook']:>8}")
    print(f"base après : {result['database_after']}")
    print(f"journal serveur : {result['server_log']}")
    for name, target in result["targets"].items():
        mark = "OK " if target["met"] else "NON"
        print(f"  [{mark}] {name} = {target['value']} (cible {target['target']})")


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("-n", type=int, default=2000, help="requests per throughput phase")
    parser.add_argument("-c", "--concurrency", type=int, default=8,
                        help="closed-loop clients (phase 1)")
    parser.add_argument("--rate", default="100",
                        help="requests/s in phase 2; more rates after a comma (100,50,25) are "
                             "measured too, the first is the one judged")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of phase 2")
    parser.add_argument("--warmup", type=int, default=0,
                        help="webhooks before measuring (at least the lanes' ramp-up)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--queue", choices=("sqlite", "redis"), default="sqlite",
                        help="Huey storage: embedded SQLite file (default) or Redis")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--lanes", type=int, default=64, help="conversations in parallel")
    parser.add_argument("--senders", type=int, default=32, help="threads of the open loop")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--max-phase-seconds", type=float, default=180.0)
    parser.add_argument("--tmpdir", default=None, help="where the SQLite files go (real disk)")
    parser.add_argument("--allow-tmpfs", action="store_true")
    parser.add_argument("--idle-wait", type=float, default=120.0,
                        help="seconds to wait at most for a nearly idle machine before starting")
    parser.add_argument("--retries", type=int, default=0,
                        help="runs again (fresh database) when other processes disturbed a "
                             "judged phase; the least disturbed run is kept")
    parser.add_argument("--tag", default="", help="suffix of the result file name")
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    parser.add_argument("--timings", action="store_true",
                        help="diagnosis: time the steps of the webhook inside the workers "
                             "(bench/timings.py); adds overhead, not for the reported figures")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, files)")
    parser.add_argument("--snapshot", metavar="REV", default=None,
                        help="measure the committed code of REV (e.g. HEAD) in a temporary "
                             "copy, not the working tree")
    args = parser.parse_args(argv)
    # SIGTERM ends the run like Ctrl-C: the `finally` blocks stop gunicorn (or the child
    # run of --snapshot, which then stops its own).
    signal.signal(signal.SIGTERM, _interrupt)
    if args.snapshot:
        rest = list(sys.argv[1:] if argv is None else argv)
        at = next(i for i, a in enumerate(rest) if a.startswith("--snapshot"))
        del rest[at:at + (1 if "=" in rest[at] else 2)]
        os.environ["BENCH_COMMAND"] = " ".join(["python", "bench/webhook_bench.py",
                                                *(sys.argv[1:] if argv is None else argv)])
        out = Path(args.out).resolve()
        return run_from_snapshot(args.snapshot, [*rest, "--out", str(out)])
    try:
        args.rates = [float(rate) for rate in args.rate.split(",")]
    except ValueError:
        parser.error("--rate: numbers separated by commas")
    if args.n < 1 or min(args.rates) <= 0 or args.duration <= 0 or args.concurrency < 1:
        parser.error("n, rate, duration and concurrency must be positive")
    if urlsplit(args.redis_url).hostname not in ("127.0.0.1", "localhost"):
        parser.error("the benchmark only talks to 127.0.0.1")

    databases = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = False
    for db in databases:
        result = run_one(db, args)
        for attempt in range(args.retries):
            if disturbance(result) < DISTURBED_CORES:
                break
            print(f"[{db}] mesures perturbées par d'autres processus "
                  f"({disturbance(result)} cœur) : nouvel essai {attempt + 2}", flush=True)
            again = run_one(db, args)
            again["attempts"] = attempt + 2
            if disturbance(again) < disturbance(result):
                result = again
        print_table(result)
        suffix = "".join(f"-{part}" for part in (args.tag,) if part)
        path = out_dir / f"{dt.date.today().isoformat()}-{db}{suffix}.json"
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        print(f"résultat écrit : {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
        failed |= not all(t["met"] for t in result["targets"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrompu : gunicorn arrêté, fichiers temporaires supprimés", file=sys.stderr)
        sys.exit(130)
