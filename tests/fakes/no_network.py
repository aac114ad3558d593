"""Refuse every connection that leaves this machine, so no test reaches a real provider.

`socket.getaddrinfo`, `socket.socket.connect` and `connect_ex` are patched: loopback
(127.0.0.0/8, ::1, localhost) and Unix sockets pass; provider hosts (telegram.org,
twilio.com) never pass; other hosts pass only when listed in `allow` (e.g. a CI
database server). A refused attempt raises `RealNetworkBlocked` (a ConnectionRefusedError,
so SDKs report it as a network error) and is recorded, because code under test may
catch and retry: the `no_real_network` fixture fails the test at teardown if any
attempt was recorded.
"""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import pytest

PROVIDER_DOMAINS = ("telegram.org", "twilio.com")
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


class RealNetworkBlocked(ConnectionRefusedError):
    """A test tried to connect to a host other than this machine."""


def is_provider(host: str) -> bool:
    """Whether `host` belongs to Telegram or Twilio."""
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in PROVIDER_DOMAINS)


def is_local(host: str) -> bool:
    """Whether `host` names or addresses this machine."""
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or ip.is_unspecified or bool(mapped and mapped.is_loopback)


def forbid_real_providers(monkeypatch: pytest.MonkeyPatch, allow: Iterable[str] = ()) -> list[str]:
    """Patch the socket module for this test; returns the list of refused "host:port"."""
    attempts: list[str] = []
    allowed = {host.lower() for host in allow if host and not is_provider(host)}
    real_getaddrinfo = socket.getaddrinfo
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def refuse(host: str, port: Any) -> None:
        attempts.append(f"{host}:{port}")
        raise RealNetworkBlocked(
            f"tests must not use the network: connection to {host}:{port} refused by "
            "tests/fakes/no_network.py (point the SDK at a fake from tests/fakes/)"
        )

    def guarded_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name and not is_local(name) and name.lower() not in allowed:
            refuse(name, port)
        infos = real_getaddrinfo(host, port, *args, **kwargs)
        if name and name.lower() in allowed:  # remember the addresses of allowed hosts
            allowed.update(str(info[4][0]).lower() for info in infos)
        return infos

    def check(address: Any) -> None:
        if isinstance(address, tuple) and address and isinstance(address[0], str):
            host = address[0]
            if is_provider(host) or not (is_local(host) or host.lower() in allowed):
                refuse(host, address[1] if len(address) > 1 else "?")

    def guarded_connect(self: socket.socket, address: Any) -> None:
        check(address)
        return real_connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        check(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    return attempts


def assert_no_attempts(attempts: list[str]) -> None:
    """Fail the current test if it tried to reach the network (even if the error was caught)."""
    if attempts:
        pytest.fail(f"test tried to reach the network: {', '.join(attempts)}", pytrace=False)
