"""Sending the load: a minimal HTTP/1.1 client (pre-built bytes, no per-request encoding),
a closed loop of C clients and an open loop at a fixed rate."""
from __future__ import annotations

import math
import queue
import socket
import threading
import time
from dataclasses import dataclass, field

from bench.stream import HOST


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
    answered_at: list[float] = field(default_factory=list)  # time.time() of each answer

    def __post_init__(self) -> None:
        self.status = [-1] * self.n
        self.latency = [math.nan] * self.n
        self.service = [math.nan] * self.n
        self.locked = [False] * self.n
        self.answered_at = [math.nan] * self.n


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
    out.answered_at[index] = time.time()
    out.status[index] = status
    out.service[index] = end - start
    out.latency[index] = end - (due if due is not None else start)


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

