"""A flow: questions in order, and the endings some answers lead to."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from flows.model import Effect, Inbound, Reply, State
from flows.questions import Question

ANY = "*"  # an exit on (question, ANY) ends the flow whatever the answer

# An ending turns the answers into the last replies and the effects to apply.
Ending = Callable[[State, Inbound], tuple[tuple[Reply, ...], tuple[Effect, ...]]]


@dataclass(frozen=True)
class Flow:
    """Questions asked in order (some skipped by their rule); `exits` end the flow early."""

    id: str
    welcome: str  # text key said before the first question
    questions: tuple[Question, ...]
    exits: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (question, value) -> ending
    endings: Mapping[str, Ending] = field(default_factory=dict)
    restart_at: str = ""  # RECOMMENCER goes back here, keeping what comes before (consent)
    offers_languages: bool = False  # at first contact, the first question offers languages
    reminds: bool = True  # an idle conversation gets one gentle reminder
    rests_at: tuple[str, ...] = ()  # steps that wait for nothing: no reminder, no expiry
    hears_first_message: bool = False  # a first message may answer the first question (a menu)
    forgets_on_restart: bool = False  # RECOMMENCER also blanks what was written (about someone else)

    def ending_after(self, question_id: str, value: object) -> str | None:
        """The ending an answer leads to: its own exit, or the question's ANY exit."""
        return self.exits.get((question_id, str(value))) or self.exits.get((question_id, ANY))

    def question(self, question_id: str | None) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def first(self) -> Question:
        return self.questions[0]

    def after(self, question_id: str, state: State, inbound: Inbound) -> Question | None:
        """The next question to ask, skipping those whose rule says so."""
        ids = [q.id for q in self.questions]
        for question in self.questions[ids.index(question_id) + 1:]:
            if not question.skip(state.answers, inbound):
                return question
        return None

    def first_of_group(self, group: str) -> Question | None:
        return next((q for q in self.questions if q.group == group), None)
