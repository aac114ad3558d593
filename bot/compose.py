"""Turn the engine's replies into the messages a person receives, in their language."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from flows.catalogue import option_label, text
from flows.model import Reply


@dataclass(frozen=True)
class Choice:
    """An option as a channel shows it: numbered on SMS, a button on Telegram."""

    id: str
    label: str
    pictogram: str = ""


@dataclass(frozen=True)
class Outgoing:
    """One message to send: its text and the choices that go with it."""

    body: str
    choices: tuple[Choice, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    def choices_json(self) -> list[dict[str, str]] | None:
        if not self.choices:
            return None
        return [{"id": c.id, "label": c.label, "pictogram": c.pictogram} for c in self.choices]


def compose(replies: Sequence[Reply], language: str, extra: dict[str, Any] | None = None) -> list[Outgoing]:
    """Group one turn's replies into as few messages as possible.

    Texts follow each other in one message; a reply with options closes its message,
    so the options always come last, right under their question. A reply marked
    `ends_message` closes its message too (a long list, read a few lines at a time).
    """
    messages: list[Outgoing] = []
    texts: list[str] = []
    for reply in replies:
        texts.append(text(reply.key, language, **{**(extra or {}), **reply.params}))
        if reply.options:
            choices = tuple(
                Choice(o.id, option_label(o, language), o.pictogram) for o in reply.options
            )
            messages.append(Outgoing("\n".join(texts), choices))
            texts = []
        elif reply.ends_message:
            messages.append(Outgoing("\n".join(texts)))
            texts = []
    if texts:
        messages.append(Outgoing("\n".join(texts)))
    return messages
