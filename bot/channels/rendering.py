"""How each channel shows a composed message: numbered options on SMS, buttons on Telegram."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from bot.channels.sms_text import numbered_options, segment_info, sms_body
from bot.compose import Outgoing


@dataclass(frozen=True)
class Rendered:
    """A message as it will leave: the exact body, the buttons, the SMS segments."""

    body: str
    buttons: list[dict[str, str]] | None = None
    segments: int | None = None


def as_sms(message: Outgoing) -> Rendered:
    """Options numbered under the text, in GSM-7 when that costs fewer segments."""
    text = message.body
    if message.choices:
        text += "\n" + numbered_options([c.label for c in message.choices])
    body = sms_body(text)
    return Rendered(body, None, segment_info(body).segments)


def as_telegram(message: Outgoing) -> Rendered:
    """The text as written; options become buttons with their pictogram."""
    return Rendered(message.body, message.choices_json())


RENDERERS: dict[str, Callable[[Outgoing], Rendered]] = {
    "sms": as_sms,
    "sms-sim": as_sms,
    "telegram": as_telegram,
    "telegram-sim": as_telegram,
}


def render(channel: str, message: Outgoing) -> Rendered:
    return RENDERERS[channel](message)
