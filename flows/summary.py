"""The last question of a flow: here is what I noted, is it right?"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from flows import understanding as heard
from flows.model import Inbound, Reply, State
from flows.questions import Answer, FollowUp, Jump, Missed, Outcome, YesNo
from flows.vocabulary import Choice

Describe = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Summary(YesNo):
    """Shows the answers; "yes" confirms, "no" asks which part to correct."""

    describe: Describe = lambda answers: {}
    parts: Sequence[Choice] = ()  # what can be corrected, each the name of a group

    def ask(self, state: State, again: bool = False) -> tuple[Reply, ...]:
        if state.pending.get("fixing"):
            options = tuple(part.option("fix") for part in self.parts)
            return (Reply("summary.what_to_fix", options=options),)
        return (Reply(self.prompt, self.describe(state.answers), options=self.options()),)

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        part_ids = [part.id for part in self.parts]
        if inbound.option_id in part_ids:
            return Jump(inbound.option_id)
        named = heard.one_choice(inbound.text, self.parts) if inbound.text else None
        if state.pending.get("fixing"):
            return Jump(named) if named else Missed()
        said = super().hear(inbound, state)
        if isinstance(said, Answer) and said.value == "no":
            return FollowUp((), {"fixing": True})
        if isinstance(said, Missed) and named and not heard.is_only_numbers(inbound.text):
            return Jump(named)
        return said
