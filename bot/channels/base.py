"""What every channel adapter offers the delivery worker: send, or say why not."""
from __future__ import annotations

from typing import Protocol


class SendError(Exception):
    """A send that did not go through, and what to do about it.

    - `retry_after`: the provider asked us to wait this many seconds (HTTP 429);
    - `blocked`: the person blocked the bot or opted out (Telegram 403, Twilio 21610):
      never retry, and stop writing to them on this channel;
    - `permanent`: retrying cannot help (a bad request);
    - otherwise the failure is transient (network, 5xx): retry with backoff.
    """

    def __init__(self, reason: str, *, code: str | None = None, retry_after: float | None = None,
                 blocked: bool = False, permanent: bool = False):
        super().__init__(reason)
        self.reason, self.code = reason, code
        self.retry_after, self.blocked = retry_after, blocked
        self.permanent = permanent or blocked


class Sender(Protocol):
    """Sends one message to one address on one channel; returns the provider's id."""

    channel: str

    def send(self, address: str, body: str, buttons: list[dict[str, str]] | None) -> str:
        ...
