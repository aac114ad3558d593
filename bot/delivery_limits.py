"""Send rates per channel, kept by the `limits` library (moving window).

Telegram allows about 1 message a second per chat and 30 a second overall; the SMS rate
is what the Twilio number or short code is provisioned for. In memory by default (one
worker process); in Redis when settings.redis_url is set, so every worker shares them.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import lru_cache

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from bot.settings import Settings

DEFAULT_SMS_RATE = "10/second"
LONGEST_NAP = 0.5  # seconds between looks at a full window, so a stop is noticed soon


@dataclass(frozen=True)
class ChannelRates:
    """The overall rate of a channel and, if any, the rate per address (chat)."""

    overall: str
    per_address: str | None = None


def default_rates(sms_rate: str = DEFAULT_SMS_RATE) -> dict[str, ChannelRates]:
    """Telegram's documented limits and the configured SMS rate."""
    return {"telegram": ChannelRates("30/second", "1/second"), "sms": ChannelRates(sms_rate)}


class RateLimits:
    """Waits, without touching the database, until a channel may send one more message."""

    def __init__(self, rates: dict[str, ChannelRates], storage_uri: str = "memory://",
                 key_prefix: str = "relais-rates"):
        options = {} if storage_uri.startswith("memory") else {"key_prefix": key_prefix}
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri, **options))
        self.rates = {channel: (parse(r.overall), parse(r.per_address) if r.per_address else None)
                      for channel, r in rates.items()}

    @classmethod
    def from_settings(cls, settings: Settings) -> "RateLimits":
        """Shared through Redis when the job queue is; SMS rate from settings if it has one."""
        sms_rate = settings.sms_rate_limit or DEFAULT_SMS_RATE
        return cls(default_rates(sms_rate), settings.redis_url or "memory://")

    def wait(self, channel: str, address: str, stop: threading.Event | None = None) -> bool:
        """Take one slot of the channel (and of the address); False if told to stop first."""
        overall, per_address = self.rates.get(channel, (None, None))
        if per_address is not None and not self._take(per_address, (channel, address), stop):
            return False
        return overall is None or self._take(overall, (channel,), stop)

    def _take(self, item: RateLimitItem, keys: tuple[str, ...], stop: threading.Event | None) -> bool:
        while not self.limiter.hit(item, *keys):
            reset_at = self.limiter.get_window_stats(item, *keys).reset_time
            nap = min(max(reset_at - time.time(), 0.005), LONGEST_NAP)
            if stop is not None and stop.wait(nap):
                return False
            if stop is None:
                time.sleep(nap)
        return True


@lru_cache(maxsize=None)
def shared_limits(settings: Settings) -> RateLimits:
    """One RateLimits per process and settings: the windows must outlive a batch."""
    return RateLimits.from_settings(settings)
