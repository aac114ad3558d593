"""Fixtures of the delivery tests: settings, fake senders, no rate waits."""
from __future__ import annotations

import pytest

from bot.delivery_limits import RateLimits
from bot.settings import Settings
from tests.bot.delivery.support import FakeSender


@pytest.fixture
def settings() -> Settings:
    return Settings(delivery_max_attempts=3)


@pytest.fixture
def no_waits() -> RateLimits:
    """No rate limits: the delivery logic without the pacing."""
    return RateLimits({})


@pytest.fixture
def telegram() -> FakeSender:
    return FakeSender("telegram")


@pytest.fixture
def sms() -> FakeSender:
    return FakeSender("sms")

