"""The neutral vocabulary the engine speaks: what comes in, what goes out.

Nothing here knows about a channel, a database or a clock. Adapters turn provider
payloads into an `Inbound`, and render each `Reply` for their channel.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ServiceContact:
    """How anyone can reach the service, for a message to hand over (from the settings)."""

    sms_number: str = ""  # as people dial it, e.g. "06 12 34 56 78"; empty: not shown
    telegram_username: str = ""  # the bot's name, for t.me/NAME; empty: not shown


@dataclass(frozen=True)
class Inbound:
    """One thing the person did: wrote text, tapped an option, sent a command or media.

    `service` comes from the runtime: how the public reaches the service.
    """

    text: str = ""
    option_id: str | None = None  # an option chosen with a button
    command: str | None = None  # "start", "stop"… without the slash
    payload: str | None = None  # /start PAYLOAD (campaigns, invite codes)
    media: tuple[str, ...] = ()  # "voice", "photo"…
    channel: str = "sms"  # "sms", "telegram", "voice", "simulator"
    address_is_phone: bool = True  # SMS and voice know the person's number
    language_hint: str | None = None
    service: ServiceContact = ServiceContact()


@dataclass(frozen=True)
class Option:
    """A choice offered to the person: numbered on SMS, a button on Telegram."""

    id: str
    label: str  # text key in the catalogue
    pictogram: str = ""
    text: str = ""  # a literal label (a commune's name), used instead of the key


@dataclass(frozen=True)
class Reply:
    """A message to send, as a text key and its parameters; adapters render it."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    expect: str | None = None  # "phone", "commune"… a hint for the adapter
    ends_message: bool = False  # the next reply starts a new message (a long list in parts)


@dataclass(frozen=True)
class Effect:
    """Something the runtime does in the same transaction as the new state."""

    kind: str  # create_case, handover_to_human, opt_out, opt_in, erase_contact, forget_answers
    data: dict[str, Any] = field(default_factory=dict)


# Conversation statuses
ACTIVE = "active"  # a question is waiting for an answer
DONE = "done"  # the flow reached its end; a new message starts over kindly
WITH_HUMAN = "with_human"  # a person of the team took over: the bot stays quiet
STOPPED = "stopped"  # the person said STOP: nothing until START
EXPIRED = "expired"  # idle too long; answers forgotten


@dataclass
class State:
    """Where a conversation stands. Saved as JSON between messages."""

    flow: str
    step: str | None = None
    status: str = ACTIVE
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)  # steps answered, for RETOUR
    misses: int = 0  # answers not understood in a row at this step
    pending: dict[str, Any] = field(default_factory=dict)  # step-local scratch
    returning_to: str | None = None  # after a correction, go back to this step
    confirming_erase: bool = False
    choosing_language: bool = False  # LANGUE was said: the next answer names a language
    last_activity: datetime | None = None
    reminded: bool = False
    language: str = "fr"

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["last_activity"] = self.last_activity.isoformat() if self.last_activity else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "State":
        data = dict(data)
        if data.get("last_activity"):
            data["last_activity"] = datetime.fromisoformat(data["last_activity"])
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class Step:
    """What `advance` returns: the new state, the replies to send, the effects to apply."""

    state: State
    replies: tuple[Reply, ...] = ()
    effects: tuple[Effect, ...] = ()
