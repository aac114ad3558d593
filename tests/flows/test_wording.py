"""What people read follows the wording rules of the programme (PRODUCT.md), in every
language: no stigmatising word, no injunction, sentences of about 15 words at most, no
more than about 320 characters in one text, and every word to type is one the service
understands."""
from __future__ import annotations

import re

import pytest

from flows import global_words
from flows.catalogue import catalogue
from flows.languages import SUPPORTED
from flows.model import Inbound
from flows.understanding import yes_or_no
from flows.vocabulary import YES_NO

# Words never written to a resident (PRODUCT.md), and orders ("vous devez"), per language.
FORBIDDEN = {
    "fr": r"pr[ée]carit[ée]|pr[ée]caires?\b|\bpauvre|pauvret[ée]|d[ée]muni|d[ée]favoris[ée]|"
          r"b[ée]n[ée]ficiaire|public[s]? cible|\bdispositif|\bMDI\b|\bQPV\b|non-recours|"
          r"signalement|\bhandicap[ée]|vous devez|il faut\b|obligatoire|veuillez|invalide|"
          r"merci de\b|n'oubliez pas",
    "en": r"\bpoor\b|poverty|deprived|disadvantaged|beneficiar|target group|handicapped|"
          r"vulnerable|\bmust\b|have to|required|mandatory|invalid|please fill",
    "es": r"precari|\bpobres?\b|pobreza|desfavorecid|beneficiari|grupo objetivo|minusv[áa]lid|"
          r"vulnerable|\bdebe\b|\bdeben\b|tiene que|obligatori|inv[áa]lid",
    "ar": r"فقير|فقراء|الفقر|محتاج|معاق|مستفيد|مهمش|يجب|إلزامي|الزامي|غير صالح",
    "uk": r"бідн|малозабезпечен|незаможн|\bінвалід(и|ів|ам)?\b|отримувач|вразлив|повинні|"
          r"мусите|обов.язков|необхідно|недійсн",
}
MAX_WORDS_PER_SENTENCE = 16
MAX_CHARACTERS = 320
# Words of the partner flows (flows/partner*.py), typed like the global words.
FLOW_WORDS = {"PARTENAIRE", "QUITTER", "REPERAGE", "SORTIE", "NOUVELLES", "MES", "DEMANDES"}

# French injunction: a verb in -ez with no "vous" before it in its clause is an order
# ("Écrivez-nous", "choisissez"), unless it only shows a word to type ("écrivez APPEL").
_VERB_EZ = re.compile(r"(?<![\w-])(\w+ez)(-(?:nous|moi|le|la|les|lui|en|y))?(?![\w-])", re.I)
_NOT_VERBS = {"chez", "assez", "nez", "rez"}
_CLAUSE_START = re.compile(r"[.,;:!?\n]")
_WORD_TO_TYPE = re.compile(r"\s*(?:[A-ZÉ]{2,}\b|\d)")


def texts(language: str) -> list:
    return [pytest.param(key, text, id=key) for key, text in sorted(catalogue(language).items())]


def every_text() -> list:
    return [pytest.param(language, key, text, id=f"{language}-{key}")
            for language in SUPPORTED for key, text in sorted(catalogue(language).items())]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:؟])\s+|\n", text) if s.strip()]


def french_orders(text: str) -> list[str]:
    """The verbs of `text` used as orders."""
    orders = []
    for match in _VERB_EZ.finditer(text):
        verb = match.group(1).lower()
        clause = _CLAUSE_START.split(text[:match.start()])[-1]
        if verb in _NOT_VERBS or re.search(r"\bvous\b", clause, re.I):
            continue
        if not match.group(2) and _WORD_TO_TYPE.match(text, match.end()):
            continue  # "écrivez STOP": how to use the service, not an order
        orders.append(match.group(0))
    return orders


def words_to_type(text: str) -> list[str]:
    """Words in capitals, and in Arabic (which has none) the words between « »."""
    capitals = [w for w in re.findall(r"[^\W\d_]{2,}", text) if w.isupper()]
    return capitals + re.findall(r"«([^»]+)»", text)


def understood(word: str) -> bool:
    return (global_words.global_word(Inbound(text=word)) is not None
            or yes_or_no(word, YES_NO) is not None or word in FLOW_WORDS)


def test_the_detectors_find_what_they_look_for():
    assert all(catalogue(language) for language in SUPPORTED)
    assert french_orders("Veuillez patienter. Écrivez-nous. Choisissez une ville.") == [
        "Veuillez", "Écrivez-nous", "Choisissez"]
    assert french_orders("Si vous préférez, écrivez APPEL. Dans quelle ville habitez-vous ?") == []
    assert words_to_type("Écrivez AIDE ou «رجوع», ou ДОПОМОГА.") == ["AIDE", "ДОПОМОГА", "رجوع"]


@pytest.mark.parametrize("language, key, text", every_text())
def test_no_stigmatising_word_and_no_order(language, key, text):
    assert not re.search(FORBIDDEN[language], text, re.IGNORECASE), f"{language} {key}: {text}"


@pytest.mark.parametrize("key, text", texts("fr"))
def test_no_imperative_in_french(key, text):
    assert french_orders(text) == [], f"{key}: {text}"


@pytest.mark.parametrize("language, key, text", every_text())
def test_sentences_are_short(language, key, text):
    for sentence in sentences(text):
        assert len(sentence.split()) <= MAX_WORDS_PER_SENTENCE, f"{language} {key}: {sentence}"


@pytest.mark.parametrize("language, key, text", every_text())
def test_a_text_is_quick_to_read(language, key, text):
    assert len(text) <= MAX_CHARACTERS, f"{language} {key}: {len(text)} characters"


@pytest.mark.parametrize("language, key, text", every_text())
def test_every_word_to_type_is_understood(language, key, text):
    """No acronyms: capitals are kept for the words people can write, and those work."""
    for word in words_to_type(text):
        assert understood(word), f"{language} {key}: {word}"


@pytest.mark.parametrize("language", SUPPORTED)
def test_help_lists_the_words_that_always_work(language):
    lines = catalogue(language)["common.help"].split("\n")[1:]
    said = {global_words.global_word(Inbound(text=line.split()[0].strip("«»,"))) for line in lines}
    expected = {global_words.BACK, global_words.RESTART, global_words.HUMAN,
                global_words.ERASE, global_words.LANGUAGE, global_words.STOP}
    assert said == expected, language
