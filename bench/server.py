"""The server under test: gunicorn in its own process group, stopped on every way out."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.procfs import children_of
from bench.stream import HOST

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


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



class BotWorker:
    """The worker process of the Procfile (bench/worker.py: `python -m bot worker` on the
    benchmark's queue), in its own process group; it handles the queued inbound messages."""

    def __init__(self, env: dict[str, str], workdir: Path):
        self.env, self.log_path = env, workdir / "worker.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> int:
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.worker"], cwd=REPO,
                                     env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        log.close()
        return self.proc.pid

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if not self.running():
            return
        assert self.proc is not None
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # graceful: finishes what it holds
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        except ProcessLookupError:
            pass

    def log_counts(self) -> dict[str, int]:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        patterns = {"database_is_locked": r"database is locked", "tracebacks": r"^Traceback ",
                    "handling_failed": r"handling failed"}
        return {name: len(re.findall(p, text, re.MULTILINE)) for name, p in patterns.items()}

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
