"""The kinds of question a flow asks, and how each one hears an answer.

A question answers `hear()` with one of three outcomes:
- `Answer`: understood; the value is saved under the question's id;
- `FollowUp`: understood in part; ask something more before moving on (a postcode);
- `Missed`: not understood; the engine rephrases kindly;
- `Jump`: go and correct an earlier answer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import phonenumbers

from flows import understanding as heard
from flows.model import Inbound, Option, Reply, State
from flows.vocabulary import YES_NO, Choice


@dataclass(frozen=True)
class Answer:
    value: Any
    note: str | None = None  # the person's own words, when they said more than a number


@dataclass(frozen=True)
class FollowUp:
    replies: tuple[Reply, ...]
    pending: dict[str, Any]


@dataclass(frozen=True)
class Missed:
    hint: str = "common.not_understood"
    asks_again: bool = False  # the hint already says what to answer: no need to repeat


@dataclass(frozen=True)
class Jump:
    """Go to the first question of a group, then come back (a correction)."""

    group: str


Outcome = Answer | FollowUp | Missed | Jump
SkipRule = Callable[[dict[str, Any], Inbound], bool]


def never(answers: dict[str, Any], inbound: Inbound) -> bool:
    return False


@dataclass(frozen=True)
class Question:
    """A question with a text key; subclasses say how they hear answers."""

    id: str
    prompt: str
    group: str = ""  # corrections jump to the first question of a group
    short: str = ""  # a shorter way to ask again, after an answer not understood
    stamp: bool = False  # also record when it was answered (consent)
    skip: SkipRule = never

    def ask(self, state: State, again: bool = False) -> tuple[Reply, ...]:
        key = self.short if again and self.short else self.prompt
        return (Reply(key, options=self.options()),)

    def options(self) -> tuple[Option, ...]:
        return ()

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        raise NotImplementedError


@dataclass(frozen=True)
class OneOf(Question):
    """Pick one of a few choices."""

    choices: Sequence[Choice] = ()

    def options(self) -> tuple[Option, ...]:
        return tuple(c.option(self.id) for c in self.choices)

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        ids = [c.id for c in self.choices]
        if inbound.option_id in ids:
            return Answer(inbound.option_id)
        picked = heard.one_choice(inbound.text, self.choices)
        return Answer(picked) if picked else Missed()


@dataclass(frozen=True)
class YesNo(OneOf):
    """A yes or no question; a "no" wins over a "yes" it contains."""

    choices: Sequence[Choice] = YES_NO

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        if inbound.option_id in ("yes", "no"):
            return Answer(inbound.option_id)
        picked = heard.yes_or_no(inbound.text, self.choices)
        return Answer(picked) if picked else Missed()


@dataclass(frozen=True)
class SomeOf(Question):
    """Pick one or several choices, by numbers or in one's own words.

    A tapped button adds that choice and offers the rest again with "that's all";
    typed text is read whole and moves on. With `free_text`, words that match no
    choice are kept as "other" with the person's note.
    """

    choices: Sequence[Choice] = ()
    free_text: bool = True
    done_option: Option = field(default=Option("done", "common.that_is_all", "✅"))

    def options(self) -> tuple[Option, ...]:
        return tuple(c.option(self.id) for c in self.choices)

    def ask(self, state: State, again: bool = False) -> tuple[Reply, ...]:
        if state.pending.get("picked"):
            return (Reply("common.anything_else", options=self.options() + (self.done_option,)),)
        return super().ask(state, again)

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        picked: list[str] = list(state.pending.get("picked", []))
        if inbound.option_id == "done" and picked:
            return Answer(picked)
        if inbound.option_id in {c.id for c in self.choices}:
            picked = list(dict.fromkeys(picked + [inbound.option_id]))
            return FollowUp((), {"picked": picked})
        found = heard.choices_in(inbound.text, self.choices)
        note = inbound.text.strip()[:500] if heard.has_words(inbound.text) else None
        if not found and note and self.free_text and heard.says_something(inbound.text):
            found = ["other"]
        if not found:
            return Missed()
        return Answer(list(dict.fromkeys(picked + found)), note=note)


NO_PHONE_WORDS = ("pas de telephone", "pas de numero", "pas de tel", "non", "aucun",
                  "no", "no phone", "sin telefono", "لا", "ليس لدي هاتف", "ні", "немає телефону")


@dataclass(frozen=True)
class PhoneNumber(Question):
    """A French phone number, in any usual writing; "no phone" is an answer too."""

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        said = heard.read(inbound.text)
        if any(heard.has_phrase(said, w) for w in NO_PHONE_WORDS):
            return Answer(None)
        number = phone_e164(inbound.text)
        return Answer(number) if number else Missed("common.phone_not_understood", asks_again=True)


def phone_e164(text: str) -> str | None:
    """The number in E.164 ("+33612345678") when the text holds a valid one."""
    for match in phonenumbers.PhoneNumberMatcher(text[:200], "FR"):
        if phonenumbers.is_valid_number(match.number):
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None
