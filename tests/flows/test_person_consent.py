"""How the one-SMS consent question hears a referred person's answer."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from flows import engine
from flows.model import Inbound
from flows.network import FLOWS, state_for_role
from flows.person_consent import PERSON_CONSENT, ask

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def answer(*texts: str):
    step = ask("Fatou", "CCAS de Sarcelles", "fr", NOW)
    for text in texts:
        state = state_for_role("resident", step.state)
        step = engine.advance(FLOWS[state.flow], state, Inbound(text=text), NOW)
    return step


@pytest.mark.parametrize("text, effect", [
    ("oui", "person_consent_given"), ("OUI !", "person_consent_given"),
    ("ok d'accord", "person_consent_given"), ("yes", "person_consent_given"),
    ("نعم", "person_consent_given"), ("так", "person_consent_given"),
    ("sí", "person_consent_given"), ("non", "person_consent_refused"),
    ("Non merci", "person_consent_refused"), ("no", "person_consent_refused"),
    ("لا", "person_consent_refused"), ("ні", "person_consent_refused"),
    ("pas d'accord", "person_consent_refused"),
])
def test_yes_and_no_in_every_language(text, effect):
    assert [e.kind for e in answer(text).effects] == [effect]


@pytest.mark.parametrize("text", ["2", "j'ai 2 enfants", "1",
                                  "non je sais pas trop ce que c'est, qui vous a donné ça"])
def test_numbers_and_a_no_lost_in_a_long_message_are_asked_again(text):
    step = answer(text)
    assert step.effects == () and step.replies[0].key == "person_consent.not_understood"
    assert step.state.flow == PERSON_CONSENT.id and step.state.step == "person_consent"


def test_the_second_unclear_answer_goes_to_the_team_and_later_ones_too():
    step = answer("c'est quoi", "je comprends pas", "merci")
    assert answer("c'est quoi", "je comprends pas").effects[0].kind == "person_consent_unclear"
    assert [r.key for r in step.replies] == ["common.message_passed_on"]
    assert step.state.flow == "resident"


def test_no_reminder_for_the_one_sms():
    step = ask("Fatou", None, "fr", NOW)
    assert step.replies[0].params["organisation"] == ("person_consent.a_partner",)
    later = NOW + timedelta(days=20)
    assert engine.remind(PERSON_CONSENT, step.state, later, timedelta(days=1), timedelta(days=7)) is None
