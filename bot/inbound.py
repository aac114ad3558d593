"""A message as every channel adapter hands it to the runtime: neutral, provider-free."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flows.model import Inbound

# Channels whose address is the person's phone number.
PHONE_CHANNELS = frozenset({"sms", "sms-sim", "voice"})
MAX_TEXT = 4096  # longer texts are cut: nobody answers a question in more


def clean(text: str) -> str:
    """The text as it can be stored anywhere: no NUL character (PostgreSQL refuses it)."""
    return text.replace("\x00", "")[:MAX_TEXT]


@dataclass(frozen=True)
class InboundMessage:
    """What a person sent, from which address, with the provider's id for de-duplication."""

    channel: str  # "sms", "telegram", "sms-sim", "telegram-sim"
    address: str  # E.164 phone number or Telegram chat id
    text: str = ""
    option_id: str | None = None
    command: str | None = None
    payload: str | None = None
    media: tuple[dict[str, Any], ...] = field(default_factory=tuple)  # {"kind", "ref"}
    provider_id: str | None = None
    language_hint: str | None = None
    provider_confirms_stop: bool = False  # the provider already answered this STOP itself
    shown_as: str | None = None  # what the inbox shows instead (a choice made on a call)

    def for_engine(self) -> Inbound:
        return Inbound(
            text=clean(self.text),
            option_id=self.option_id,
            command=self.command,
            payload=self.payload,
            media=tuple(m.get("kind", "file") for m in self.media),
            channel=self.channel,
            address_is_phone=self.channel in PHONE_CHANNELS,
            language_hint=self.language_hint,
        )

    def stored_body(self) -> str:
        """What the inbox shows: the text, or the option tapped, or the command."""
        if self.shown_as:
            return clean(self.shown_as)
        if self.text:
            return clean(self.text)
        if self.command:
            return f"/{self.command} {self.payload or ''}".strip()
        return f"[{self.option_id}]" if self.option_id else ""
