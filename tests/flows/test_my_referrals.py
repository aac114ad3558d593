"""MES DEMANDES on the engine's side: who may ask, what the answer keeps, and its words in
every language (the runtime's side: tests/bot/test_referrer_feedback.py)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.referrer_feedback import NEWS
from flows import languages, my_referrals
from flows.catalogue import catalogue
from flows.model import DONE, STOPPED, WITH_HUMAN, Inbound, State
from flows.network import FLOWS

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
PARTNER = FLOWS["partner"]
FATOU = my_referrals.MyReferral("RM-2026-00012", "Fatou", date(2026, 2, 27), "contacted")
KEYS = ["partner.my_referrals", "my_referrals.header", "my_referrals.line",
        "my_referrals.line_no_name", "my_referrals.none",
        *(f"my_referrals.{status}" for status in my_referrals.STATUSES),
        "referrer_feedback.about_person", "referrer_feedback.about_case",
        *(f"referrer_feedback.{news}" for news in NEWS)]


def at_menu() -> State:
    return State(flow=PARTNER.id, step="menu", last_activity=NOW)


@pytest.mark.parametrize("language", [code for code in languages.SUPPORTED if code != "fr"])
def test_every_word_of_mes_demandes_and_of_the_news_is_translated(language):
    french, texts = catalogue("fr"), catalogue(language)
    for key in KEYS:
        assert texts[key].strip() and texts[key] != french[key], f"{language} {key}"
    assert "MES DEMANDES" in texts["partner.what_you_can_do"]


@pytest.mark.parametrize("inbound", [
    Inbound(text="MES DEMANDES"), Inbound(text="mes demandes"), Inbound(text="Mes fiches"),
    Inbound(option_id="my_referrals"), Inbound(text="2"),  # the menu's second choice, by SMS
])
def test_the_word_the_button_and_the_menu_number_ask_for_the_list(inbound):
    assert my_referrals.is_asked("alert_giver", PARTNER, at_menu(), inbound)
    assert my_referrals.is_asked("ambassador", FLOWS["ambassador"], at_menu(),
                                 Inbound(text="mes demandes"))


def test_residents_stopped_and_handed_over_people_are_not_answered():
    words = Inbound(text="mes demandes")
    assert not my_referrals.is_asked("resident", PARTNER, at_menu(), words)
    for status in (STOPPED, WITH_HUMAN):
        state = State(flow=PARTNER.id, step="menu", status=status)
        assert not my_referrals.is_asked("alert_giver", PARTNER, state, words)
    assert my_referrals.is_asked("alert_giver", PARTNER, State(flow=PARTNER.id, status=DONE),
                                 words)
    in_a_referral = State(flow=PARTNER.id, step="person_phone", answers={"menu": "referral"})
    assert not my_referrals.is_asked("alert_giver", PARTNER, in_a_referral, Inbound(text="2"))


def test_the_list_leaves_the_conversation_where_it_was():
    state = State(flow=PARTNER.id, step="person_phone",
                  answers={"menu": "referral", "person_name": "Ana"},
                  history=["menu", "referral_consent", "person_name"], last_activity=NOW)
    step = my_referrals.listing(PARTNER, state, [FATOU], NOW)
    assert (step.state.step, step.state.answers, step.state.history) == (
        state.step, state.answers, state.history)
    assert [reply.key for reply in step.replies] == [
        "my_referrals.header", "my_referrals.line", "referral.phone"]
    assert step.effects == ()


def test_no_first_name_after_a_no_and_ten_lines_at_most():
    declined = my_referrals.MyReferral("RM-2026-00007", "Lucas", date(2026, 2, 16), "declined")
    assert my_referrals.line(declined).key == "my_referrals.line_no_name"
    many = [FATOU] * 14
    step = my_referrals.listing(PARTNER, at_menu(), many, NOW)
    assert len([r for r in step.replies if r.key == "my_referrals.line"]) == my_referrals.SHOWN
