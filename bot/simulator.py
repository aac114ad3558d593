"""A simulated phone: plays a person against the real engine and database.

Its messages go through the runtime like any channel's (channel "sms-sim" or
"telegram-sim"); what the outbox holds for it is delivered to it at once. Cases created
this way are real cases.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from bot import outbox
from bot.inbound import InboundMessage
from bot.runtime import Runtime

LOOKS = ("sms", "telegram")


@dataclass(frozen=True)
class Received:
    """A message as the simulated phone shows it."""

    body: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    segments: int | None = None


class SimulatedPhone:
    """One person's phone, looking like an SMS app or like Telegram."""

    def __init__(self, runtime: Runtime, look: str = "sms", address: str | None = None):
        if look not in LOOKS:
            raise ValueError(f"look must be one of {LOOKS}")
        self.runtime, self.look = runtime, look
        self.channel = f"{look}-sim"
        self.address = address or (random_mobile() if look == "sms" else random_chat_id())
        self.buttons: list[dict[str, str]] = []  # the last message's buttons

    def send(self, text: str) -> list[Received]:
        """Write a message; on Telegram a lone number taps that button of the last message."""
        option_id = self._tapped(text)
        command, payload = None, None
        if self.look == "telegram" and text.startswith("/"):
            command, _, payload = text[1:].partition(" ")
        message = InboundMessage(
            channel=self.channel, address=self.address,
            text="" if (option_id or command) else text,
            option_id=option_id, command=command, payload=payload or None,
            provider_id=secrets.token_hex(8),
        )
        self.runtime.receive(message)
        return self.collect()

    def collect(self) -> list[Received]:
        """Deliver what the outbox holds for this phone."""
        now: datetime = self.runtime.clock()
        received = []
        with self.runtime.session_factory.begin() as session:
            for row in outbox.pending(session, self.channel, self.address):
                received.append(Received(row.body, list(row.options or []), row.segments))
                outbox.mark_sent(session, row, now, provider_id=f"sim-{row.id}")
        if received and self.look == "telegram":
            self.buttons = received[-1].buttons
        return received

    def _tapped(self, text: str) -> str | None:
        stripped = text.strip()
        if self.look != "telegram" or not stripped.isdigit() or not self.buttons:
            return None
        index = int(stripped) - 1
        return self.buttons[index]["id"] if 0 <= index < len(self.buttons) else None


def random_mobile() -> str:
    """A French mobile number in the range reserved for fiction (+33 6 39 98 xx xx)."""
    return "+3363998" + f"{secrets.randbelow(10000):04d}"


def random_chat_id() -> str:
    return str(100_000_000 + secrets.randbelow(900_000_000))
