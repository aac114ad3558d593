"""The referred person's own answer: may the team call them? One SMS, OUI or NON.

An alert giver presented someone with a phone; the runtime (bot/person_consent.py)
sends them `ask(...)` once, in the daytime, and their conversation waits here:

    « Bonjour Fatou, c'est Relais Mobilité… Répondez OUI ou NON. »
        │ OUI (APPEL too: a global word)   │ NON                      │ anything else
        ▼                                  ▼                          ▼ asked again once,
    "person_consent_given":            "person_consent_refused":    then the team reads it
    the team calls them                the case is closed, their    ("person_consent_unclear")
                                       data erased

Both "the team has it" endings are named like the resident's "case_created", so later
messages go to the case as a resident's do. STOP works as everywhere; the runtime counts
it as a refusal (without erasing more than STOP does). Numbers are not read as answers
("j'ai 2 enfants" is not a "2: non"), and a "non" inside a long message is asked again:
a NON erases, so it must be meant.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flows import understanding as heard
from flows.flow import Flow
from flows.model import Effect, Inbound, Option, Reply, State, Step
from flows.questions import Answer, FollowUp, Outcome, Question
from flows.vocabulary import YES_NO

QUESTION = "person_consent"
FOR_THE_TEAM = "case_created"  # as the resident's ending: the team answers what follows
UNCLEAR = "unclear"
MAX_WORDS_FOR_NO = 8  # a longer message with a "non" in it is asked again
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class ConsentAnswer(Question):
    """OUI or NON in any of the languages; anything else is asked again once, then
    passed on to the team as it is."""

    def options(self) -> tuple[Option, ...]:
        return ()  # "Répondez OUI ou NON": no numbers to pick

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        said = heard.yes_or_no(_DIGITS.sub(" ", inbound.text or ""), YES_NO)
        if said == "no" and len(inbound.text.split()) > MAX_WORDS_FOR_NO:
            said = None
        if inbound.option_id in ("yes", "no"):
            said = inbound.option_id
        if said:
            return Answer(said)
        if state.pending.get("asked_again"):
            return Answer(UNCLEAR)
        return FollowUp((Reply("person_consent.not_understood"),), {"asked_again": True})


def for_the_team(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    """A yes: the team will call. Words we could not read: the team reads them."""
    if state.answers.get(QUESTION) == "yes":
        return (Reply("person_consent.given"),), (Effect("person_consent_given"),)
    return (Reply("person_consent.passed_on"),), (Effect("person_consent_unclear"),)


def refused(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    """A no: nothing is kept about them, and they may write whenever they like."""
    return (Reply("person_consent.refused"),), (Effect("person_consent_refused"),)


PERSON_CONSENT = Flow(
    id="person_consent",
    welcome="common.restarting",  # RECOMMENCER; the first time, `ask` asks the question
    questions=(ConsentAnswer(QUESTION, "person_consent.ask_again"),),
    exits={(QUESTION, "yes"): FOR_THE_TEAM, (QUESTION, UNCLEAR): FOR_THE_TEAM,
           (QUESTION, "no"): "refused"},
    endings={FOR_THE_TEAM: for_the_team, "refused": refused},
    reminds=False,  # one SMS only: silence is the team's to handle (bot/consent_sweep.py)
)


def ask(first_name: str | None, organisation: str | None, language: str, now: datetime) -> Step:
    """The one SMS to a referred person, and their conversation waiting for the answer."""
    state = State(flow=PERSON_CONSENT.id, step=QUESTION, language=language, last_activity=now)
    who = organisation or ("person_consent.a_partner",)  # a tuple: a text key, translated
    params = {"organisation": who, "first_name": first_name or ""}
    key = "person_consent.ask" if first_name else "person_consent.ask_no_name"
    return Step(state, (Reply(key, params),))
