"""Choosing a language: from Telegram's hint, a number, a button or the language's name."""
from __future__ import annotations

import pytest

from flows import global_words, languages
from flows.model import Inbound

OFFERED = ("en", "es", "ar", "uk")  # under the French yes/no question: numbers 3 to 6


@pytest.mark.parametrize("hint, language", [
    ("en", "en"), ("en-GB", "en"), ("es-419", "es"), ("AR", "ar"), ("uk", "uk"), ("pt_BR", None),
    ("fr", "fr"), ("de", None), ("", None), (None, None), ("ru", None),
])
def test_the_telegram_hint_is_kept_only_for_a_language_we_speak(hint, language):
    assert languages.from_hint(hint) == language


@pytest.mark.parametrize("option_id, typed, language", [
    ("language_ar", "", "ar"), ("language_xx", "", None), ("yes", "", None),
    (None, "3", "en"), (None, " 6 ", "uk"), (None, "2", None), (None, "7", None),
    (None, "English", "en"), (None, "espanol", "es"), (None, "Español", "es"),
    (None, "عربي", "ar"), (None, "العربية", "ar"), (None, "Arabi", "ar"),
    (None, "Українська", "uk"), (None, "ukrainien", "uk"), (None, "français", "fr"),
    (None, "oui", None), (None, "je parle anglais et arabe", None),
])
def test_a_language_is_picked_by_button_number_or_name(option_id, typed, language):
    assert languages.chosen(option_id, typed, OFFERED, first_number=3) == language


def test_sms_names_are_plain_and_telegram_names_are_native():
    sms = [o.text for o in languages.options(OFFERED, "sms")]
    telegram = [o.text for o in languages.options(OFFERED, "telegram")]
    assert sms == ["English", "Español", "Arabi", "Ukrainska"]
    assert telegram == ["English", "Español", "العربية", "Українська"]


@pytest.mark.parametrize("language", languages.SUPPORTED)
def test_every_language_has_its_words_that_always_work(language):
    table = global_words.BY_LANGUAGE[language]
    assert {global_words.HELP, global_words.BACK, global_words.RESTART, global_words.HUMAN,
            global_words.ERASE, global_words.LANGUAGE} <= set(table)
    for word, phrases in table.items():
        for phrase in phrases:
            assert global_words.global_word(Inbound(text=phrase.upper())) == word, phrase


@pytest.mark.parametrize("typed", ["Conseiller", "conseillère", "Animatrice"])
def test_a_job_title_is_an_answer_not_a_request_for_a_person(typed):
    assert global_words.global_word(Inbound(text=typed)) is None


@pytest.mark.parametrize("typed", ["LANGUE", "language", "Idioma", "اللغة", "МОВА", "мова"])
def test_langue_in_every_language(typed):
    assert global_words.global_word(Inbound(text=typed)) == global_words.LANGUAGE
