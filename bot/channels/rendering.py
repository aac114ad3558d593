"""How each channel shows a composed message: numbered options on SMS, buttons on Telegram."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from bot.channels.sms_text import numbered_options, segment_info, sms_body, split_message
from bot.compose import Outgoing

SMS_MAX_SEGMENTS = 3  # a longer text leaves as several SMS, cut between words


@dataclass(frozen=True)
class Rendered:
    """A message as it will leave: the exact body, the buttons, the SMS segments."""

    body: str
    buttons: list[dict[str, str]] | None = None
    segments: int | None = None


def as_sms(message: Outgoing) -> list[Rendered]:
    """Options numbered under the text, in GSM-7 when that costs fewer segments.

    A text longer than SMS_MAX_SEGMENTS is sent as several SMS cut at a paragraph, a
    sentence or a space, so that no phone shows a word cut in two.
    """
    text = message.body
    if message.choices:
        text += "\n" + numbered_options([c.label for c in message.choices])
    parts = split_message(sms_body(text), SMS_MAX_SEGMENTS)
    return [Rendered(part, None, segment_info(part).segments) for part in parts]


def as_telegram(message: Outgoing) -> list[Rendered]:
    """The text as written; options become buttons with their pictogram."""
    return [Rendered(message.body, message.choices_json())]


RENDERERS: dict[str, Callable[[Outgoing], list[Rendered]]] = {
    "sms": as_sms,
    "sms-sim": as_sms,
    "telegram": as_telegram,
    "telegram-sim": as_telegram,
}


def render(channel: str, message: Outgoing) -> list[Rendered]:
    return RENDERERS[channel](message)
