"""What residents read follows the wording rules of the programme (PRODUCT.md)."""
from __future__ import annotations

import re

import pytest

from flows.catalogue import catalogue, languages

FORBIDDEN = re.compile(
    r"pr[ée]carit[ée]|pr[ée]caires?\b|\bpauvre|pauvret[ée]|d[ée]muni|d[ée]favoris[ée]|"
    r"b[ée]n[ée]ficiaire|public[s]? cible|\bdispositif|\bMDI\b|\bQPV\b|non-recours|"
    r"signalement|\bhandicap[ée]|vous devez|il faut\b|obligatoire|veuillez|invalide",
    re.IGNORECASE,
)
MAX_WORDS_PER_SENTENCE = 16


def french_texts() -> list[tuple[str, str]]:
    return sorted(catalogue("fr").items())


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:])\s+|\n", text) if s.strip()]


def test_french_is_there():
    assert "fr" in languages() and len(french_texts()) > 50


@pytest.mark.parametrize("key, text", french_texts())
def test_no_stigmatising_word_and_no_injunction(key, text):
    assert not FORBIDDEN.search(text), f"{key}: {text}"


@pytest.mark.parametrize("key, text", french_texts())
def test_sentences_are_short(key, text):
    for sentence in sentences(text):
        assert len(sentence.split()) <= MAX_WORDS_PER_SENTENCE, f"{key}: {sentence}"


@pytest.mark.parametrize("key, text", french_texts())
def test_no_acronym_but_the_words_to_type(key, text):
    allowed = {"STOP", "START", "AIDE", "RETOUR", "RECOMMENCER", "APPEL", "EFFACER", "NON", "OUI"}
    for word in re.findall(r"\b[A-ZÉ]{2,}\b", text):
        assert word in allowed, f"{key}: {word}"
