"""Send rates: a slot per message, per chat on Telegram, shared through Redis by workers."""
from __future__ import annotations

import threading
import uuid

import pytest

from bot.delivery_limits import ChannelRates, RateLimits, default_rates
from bot.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def stopped() -> threading.Event:
    """A stop already given: `wait` then answers at once whether a slot was free."""
    event = threading.Event()
    event.set()
    return event


def test_telegram_allows_one_message_a_second_per_chat(stopped):
    limits = RateLimits(default_rates())
    assert limits.wait("telegram", "424242", stopped)
    assert not limits.wait("telegram", "424242", stopped)  # the same chat must wait
    assert limits.wait("telegram", "515151", stopped)  # another chat need not


def test_the_overall_rate_of_a_channel(stopped):
    limits = RateLimits({"sms": ChannelRates("3/second")})
    assert [limits.wait("sms", f"+3360000000{n}", stopped) for n in range(4)] == [True] * 3 + [False]
    assert limits.wait("telegram", "424242", stopped)  # a channel without rates never waits


def test_a_full_window_is_waited_out():
    limits = RateLimits({"sms": ChannelRates("1/second")})
    assert limits.wait("sms", "+33600000001")
    assert limits.wait("sms", "+33600000001")  # returns once the first hit has left the window
    assert not limits.wait("sms", "+33600000001", _set_in(0.05))


def test_workers_share_the_rates_through_redis(stopped):
    prefix = f"relais-test-{uuid.uuid4().hex}"
    first, second = (RateLimits(default_rates(), REDIS_URL, key_prefix=prefix) for _ in range(2))
    try:
        assert first.wait("telegram", "424242", stopped)
        assert not second.wait("telegram", "424242", stopped)  # another worker, same chat
        assert second.wait("telegram", "515151", stopped)
    finally:
        first.limiter.storage.reset()


def test_settings_choose_the_storage():
    assert "Memory" in type(RateLimits.from_settings(Settings()).limiter.storage).__name__
    shared = RateLimits.from_settings(Settings(redis_url=REDIS_URL))
    assert "Redis" in type(shared.limiter.storage).__name__


def _set_in(seconds: float) -> threading.Event:
    event = threading.Event()
    threading.Timer(seconds, event.set).start()
    return event
