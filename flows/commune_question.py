"""Where the person lives: a commune of the national list, settled with them if unsure."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from flows import understanding as heard
from flows.communes import Commune, Gazetteer, default_gazetteer
from flows.model import Inbound, Option, Reply, State
from flows.questions import Answer, FollowUp, Missed, Outcome, Question
from flows.vocabulary import YES_NO

MAX_PICK = 6  # above this, ask the postcode rather than list names
NONE_OPTION = Option("none", "commune.none", "🔎")


def commune_answer(commune: Commune) -> dict[str, str]:
    return {"insee": commune.insee, "name": commune.name, "label": commune.label}


def commune_options(communes: Sequence[Commune]) -> tuple[Option, ...]:
    return tuple(Option(c.insee, "", "📍", text=c.label) for c in communes) + (NONE_OPTION,)


@dataclass(frozen=True)
class CommuneQuestion(Question):
    """Asks the town; understands names, postcodes, typos; asks the postcode for homonyms."""

    def gazetteer(self) -> Gazetteer:
        return default_gazetteer()

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        candidates = self._candidates(state)
        if candidates:
            settled = self._settle(inbound, state, candidates)
            if settled is not None:
                return settled
        return self._find(inbound.text)

    def _candidates(self, state: State) -> list[Commune]:
        found = (self.gazetteer().by_insee(code) for code in state.pending.get("candidates", []))
        return [c for c in found if c is not None]

    def _settle(self, inbound: Inbound, state: State, candidates: list[Commune]) -> Outcome | None:
        """Read an answer to our own follow-up; None when it looks like a new town name."""
        by_id = {c.insee: c for c in candidates}
        if inbound.option_id in by_id:
            return Answer(commune_answer(by_id[inbound.option_id]))
        if inbound.option_id == "none":
            return FollowUp((Reply("commune.ask_again"),), {})
        numbers = heard.numbers_in(inbound.text, len(candidates) + 1)
        if len(numbers) == 1 and heard.is_only_numbers(inbound.text):
            if numbers[0] > len(candidates):
                return FollowUp((Reply("commune.ask_again"),), {})
            return Answer(commune_answer(candidates[numbers[0] - 1]))
        if state.pending.get("mode") == "suggest":
            said = heard.yes_or_no(inbound.text, YES_NO)
            if said == "yes" and len(candidates) == 1:
                return Answer(commune_answer(candidates[0]))
            if said == "no":
                return FollowUp((Reply("commune.ask_again"),), {})
        match = self.gazetteer().settle(candidates, inbound.text)
        if match.kind == "found":
            return Answer(commune_answer(match.communes[0]))
        if match.kind == "ambiguous":
            return self._ask_to_pick(match.communes)
        return None

    def _find(self, text: str) -> Outcome:
        match = self.gazetteer().find(text)
        if match.kind == "found":
            return Answer(commune_answer(match.communes[0]))
        if match.kind == "ambiguous":
            names = {c.name for c in match.communes}
            if len(names) == 1:
                codes = [c.insee for c in match.communes]
                reply = Reply("commune.ask_postcode", {"name": match.communes[0].name})
                return FollowUp((reply,), {"candidates": codes, "mode": "postcode"})
            return self._ask_to_pick(match.communes)
        if match.kind == "suggest":
            options = commune_options(match.communes)
            key = "commune.did_you_mean_one" if len(match.communes) == 1 else "commune.did_you_mean"
            reply = Reply(key, {"label": match.communes[0].label}, options=options)
            codes = [c.insee for c in match.communes]
            return FollowUp((reply,), {"candidates": codes, "mode": "suggest"})
        return Missed("commune.not_found", asks_again=True)

    def _ask_to_pick(self, communes: Sequence[Commune]) -> Outcome:
        if len(communes) > MAX_PICK:
            codes = [c.insee for c in communes]
            reply = Reply("commune.ask_postcode", {"name": communes[0].name})
            return FollowUp((reply,), {"candidates": codes, "mode": "postcode"})
        reply = Reply("commune.which_one", options=commune_options(communes))
        return FollowUp((reply,), {"candidates": [c.insee for c in communes], "mode": "pick"})
