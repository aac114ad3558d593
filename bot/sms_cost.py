"""What a resident's self-referral costs in SMS, per language: the figure the README gives.

The most typical path (yes to consent, one difficulty, one purpose, a commune, a call,
a moment, confirm) is played through the real runtime on a simulated SMS phone, and the
segments of every message the person receives are added up, as they are stored in the
outbox and billed.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.conversations import load_state
from bot.runtime import Runtime
from bot.simulator import Received, SimulatedPhone
from flows import languages
from flows.catalogue import DEFAULT_LANGUAGE
from flows.model import ACTIVE
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import ChannelAddress, Conversation, Team

SEGMENT_BUDGET = 8  # what the French self-referral may cost at most
FIRST_WORDS = "Bonjour"
# The answer to each question of the typical path, by question id.
TYPICAL_ANSWERS = {
    "consent": "1",
    "difficulties": "2",
    "purposes": "1",
    "commune": "Sarcelles",
    "contact_way": "1",
    "moments": "1",
    "summary": "1",
}
MAX_TURNS = 20


class UnknownQuestion(LookupError):
    """The flow asked a question the typical path has no answer for."""


@dataclass(frozen=True)
class PathCost:
    """The messages a person received on the typical path, and what they cost."""

    language: str
    received: tuple[Received, ...]

    @property
    def segments(self) -> int:
        return sum(message.segments or 0 for message in self.received)


def typical_path(runtime: Runtime, language: str = "fr", address: str = "+33639980100") -> PathCost:
    """Play the typical self-referral on SMS in `language` and collect what is received."""
    phone = SimulatedPhone(runtime, "sms", address=address)
    received = phone.send(FIRST_WORDS)
    if language != DEFAULT_LANGUAGE:
        received += phone.send(languages.name(language, "sms"))  # chosen by its name
    for _ in range(MAX_TURNS):
        step = _pending_question(runtime.session_factory, phone)
        if step is None:
            return PathCost(language, tuple(received))
        if step not in TYPICAL_ANSWERS:
            raise UnknownQuestion(f"no typical answer for the question {step!r}")
        received += phone.send(TYPICAL_ANSWERS[step])
    raise UnknownQuestion(f"the conversation did not end after {MAX_TURNS} answers")


def _pending_question(session_factory: sessionmaker[Session], phone: SimulatedPhone) -> str | None:
    """The question the conversation waits on, or None once it has ended."""
    with session_factory() as session:
        conversation = session.scalars(
            select(Conversation)
            .join(ChannelAddress, ChannelAddress.contact_id == Conversation.contact_id)
            .where(ChannelAddress.channel == phone.channel, ChannelAddress.address == phone.address)
        ).first()
        state = load_state(conversation) if conversation is not None else None
    if state is None or state.status != ACTIVE:
        return None
    return state.step


def costs_per_language(codes: tuple[str, ...] = languages.SUPPORTED) -> dict[str, int]:
    """The typical path's segments in each language, each on a fresh temporary database."""
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'sms-cost.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        with factory.begin() as session:
            session.add(Team(name="Équipe mobilité", is_default=True))
        for n, code in enumerate(codes):
            figures[code] = typical_path(Runtime(factory), code, f"+336399801{n:02d}").segments
        engine.dispose()
    return figures
