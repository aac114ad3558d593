"""Pytest fixtures for the fake providers and the network guard.

Use them from tests/conftest.py:

    from tests.fakes.fixtures import fake_telegram, fake_twilio, no_real_network  # noqa: F401

    @pytest.fixture(autouse=True)
    def _offline(no_real_network: list[str]) -> None:
        '''Every test runs without network.'''
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.fakes.no_network import assert_no_attempts, forbid_real_providers
from tests.fakes.server import FakeServer
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio


def _database_hosts() -> list[str]:
    """The host of TEST_DATABASE_URL, which the CI may run on another machine."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    host = urlsplit(url).hostname if "://" in url else None
    return [host] if host else []


def _check_fake(fake: FakeServer) -> None:
    """Fail the test if the fake itself crashed while answering."""
    if fake.errors:
        pytest.fail(f"{type(fake).__name__} crashed:\n" + "\n".join(fake.errors), pytrace=False)


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    """A started FakeTelegram (token tests.fakes.telegram.TOKEN), stopped after the test."""
    with FakeTelegram() as fake:
        yield fake
    _check_fake(fake)


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A started FakeTwilio (ACCOUNT_SID / AUTH_TOKEN of tests.fakes.twilio), stopped after."""
    with FakeTwilio() as fake:
        yield fake
    _check_fake(fake)


@pytest.fixture
def no_real_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse non-local connections; fail the test if any was attempted. Yields the attempts."""
    attempts = forbid_real_providers(monkeypatch, allow=_database_hosts())
    yield attempts
    assert_no_attempts(attempts)
