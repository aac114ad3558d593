"""Fixtures of the runtime tests: a runtime on the test database with a controlled clock."""
from __future__ import annotations

import pytest

from bot.runtime import Runtime
from bot.simulator import SimulatedPhone
from flows.model import ServiceContact
from tests.support.partners import seed_network
from tests.support.people import Clock, seed_teams

SERVICE = ServiceContact("06 39 98 00 00", "RelaisMobiliteBot")  # what the settings would give


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def teams(session_factory) -> dict[str, int]:
    return seed_teams(session_factory)


@pytest.fixture
def runtime(session_factory, clock, teams) -> Runtime:
    return Runtime(session_factory, clock=clock, service=SERVICE)


@pytest.fixture
def network(session_factory, clock):
    """An organisation and its invite codes (tests/support/partners.py)."""
    return seed_network(session_factory, clock.now)


@pytest.fixture
def sms_phone(runtime) -> SimulatedPhone:
    return SimulatedPhone(runtime, "sms", address="+33639981234")


@pytest.fixture
def telegram_phone(runtime) -> SimulatedPhone:
    return SimulatedPhone(runtime, "telegram", address="424242")


class ShortReads:
    """Reads in a session of their own, closed at once: on SQLite every transaction holds
    the write lock, so a test must not keep one open while the runtime works."""

    def __init__(self, session_factory):
        self.session_factory = session_factory

    def _run(self, method: str, *args):
        with self.session_factory() as session:
            result = getattr(session, method)(*args)
            return list(result) if method == "scalars" else result

    def scalars(self, query):
        return _Rows(self._run("scalars", query))

    def scalar(self, query):
        return self._run("scalar", query)

    def get(self, model, key):
        return self._run("get", model, key)


class _Rows(list):
    def one(self):
        assert len(self) == 1, f"expected one row, got {len(self)}"
        return self[0]

    def all(self):
        return list(self)

    def first(self):
        return self[0] if self else None


@pytest.fixture
def db(session_factory) -> ShortReads:
    return ShortReads(session_factory)
