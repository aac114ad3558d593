"""Questions the partner flows ask: a few words in one's own terms, and yes/no with a name."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from flows import understanding as heard
from flows.model import Inbound, Option, Reply, State
from flows.questions import Answer, Missed, OneOf, Outcome, Question, YesNo
from flows.textnorm import normalize
from flows.vocabulary import Choice

LEAVE = "leave"  # the answer of someone who says QUITTER in the middle of a question
LEAVE_WORDS = ("quitter", "quitte", "je quitte", "quitter le reseau", "partir", "annuler")
MAX_WORDS_LENGTH = 80


def says_leave(text: str) -> bool:
    return normalize(text) in LEAVE_WORDS


@dataclass(frozen=True)
class FewWords(Question):
    """A first name, a job title: kept as written (trimmed), QUITTER stops the flow."""

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        said = " ".join(inbound.text.split())
        if says_leave(said):
            return Answer(LEAVE)
        if not said or not heard.has_words(said):
            return Missed()
        return Answer(said[:MAX_WORDS_LENGTH])


@dataclass(frozen=True)
class YesNoAbout(YesNo):
    """A yes or no question that names something the flow already knows (an organisation)."""

    about: str = ""  # the answer whose "organisation" is said in the question

    def ask(self, state: State, again: bool = False) -> tuple[Reply, ...]:
        key = self.short if again and self.short else self.prompt
        params = {"organisation": state.answers.get(self.about, {}).get("organisation", "")}
        return (Reply(key, params, options=self.options()),)

    def options(self) -> tuple[Option, ...]:
        return tuple(c.option("common") for c in self.choices)


@dataclass(frozen=True)
class Menu(OneOf):
    """Pick one thing to do; the labels live under `labels` in the catalogue."""

    labels: str = ""
    choices: Sequence[Choice] = ()

    def options(self) -> tuple[Option, ...]:
        return tuple(c.option(self.labels) for c in self.choices)

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        """When words name several choices, the one written in full wins over a close
        spelling of another ("nouvelle fiche" is a referral, not NOUVELLES)."""
        outcome = super().hear(inbound, state)
        if isinstance(outcome, Missed) and inbound.text:
            said = heard.read(inbound.text)
            exact = [c.id for c in self.choices
                     if any(heard.has_phrase(said, keyword) for keyword in c.keywords)]
            if len(exact) == 1:
                return Answer(exact[0])
        return outcome


NOTHING_WORDS = ("rien", "non", "aucune", "aucun", "pas de note", "rien a ajouter", "nothing",
                 "no", "nada", "لا", "لا شيء", "ні", "нічого")


@dataclass(frozen=True)
class FreeText(Question):
    """A few sentences in one's own words (how to reach someone, a note); "rien" is None
    when `optional`, QUITTER stops the flow."""

    optional: bool = False
    limit: int = 300

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        said = " ".join(inbound.text.split())
        if says_leave(said):
            return Answer(LEAVE)
        if self.optional and normalize(said) in NOTHING_WORDS:
            return Answer(None)
        if not any(ch.isalnum() for ch in said):  # a date such as 12/03 is an answer too
            return Missed()
        return Answer(said[:self.limit])
