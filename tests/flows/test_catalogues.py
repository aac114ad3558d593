"""Every language says everything the service can say, with the same placeholders.

French (flows/texts/fr.toml) is the reference: each other catalogue has exactly its keys,
each text the same {placeholders}, and every key the code uses exists.
"""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.channels.sms_text import is_gsm7
from flows import languages
from flows.catalogue import DEFAULT_LANGUAGE, catalogue
from flows.catalogue import languages as catalogue_files
from flows.resident import RESIDENT

ROOT = Path(__file__).resolve().parents[2]
OTHERS = [code for code in languages.SUPPORTED if code != DEFAULT_LANGUAGE]
KEY_LITERAL = re.compile(r"""["']([a-z_]+\.[a-z_]+)["']""")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def keys_in_code() -> set[str]:
    """Text keys written in the code: Reply("common.help"), welcome="resident.welcome"…"""
    sections = {key.split(".")[0] for key in catalogue(DEFAULT_LANGUAGE)}
    found = set()
    for folder in ("flows", "bot"):
        for path in (ROOT / folder).rglob("*.py"):
            found |= {key for key in KEY_LITERAL.findall(path.read_text(encoding="utf-8"))
                      if key.split(".")[0] in sections}
    return found


def option_keys() -> set[str]:
    """The labels of the resident flow's options, built from their group and id."""
    return {option.label for question in RESIDENT.questions for option in question.options()}


def test_each_supported_language_has_its_catalogue_and_nothing_else():
    assert sorted(catalogue_files()) == sorted(languages.SUPPORTED)


def test_each_language_has_a_name_in_itself_and_in_plain_sms_letters():
    for code in languages.SUPPORTED:
        native, plain = languages.NAMES[code]
        assert native and is_gsm7(plain), code  # an Arabic letter would double an SMS's cost


@pytest.mark.parametrize("language", OTHERS)
def test_every_french_text_is_translated(language):
    missing = sorted(set(catalogue(DEFAULT_LANGUAGE)) - set(catalogue(language)))
    assert not missing, f"{language}.toml lacks {len(missing)} texts: {', '.join(missing)}"


@pytest.mark.parametrize("language", OTHERS)
def test_no_text_that_french_does_not_have(language):
    extra = sorted(set(catalogue(language)) - set(catalogue(DEFAULT_LANGUAGE)))
    assert not extra, f"{language}.toml has texts French does not have: {', '.join(extra)}"


@pytest.mark.parametrize("language", OTHERS)
def test_placeholders_are_the_same_as_in_french(language):
    french, texts = catalogue(DEFAULT_LANGUAGE), catalogue(language)
    for key in sorted(set(french) & set(texts)):
        assert placeholders(texts[key]) == placeholders(french[key]), f"{language} {key}"


@pytest.mark.parametrize("language", languages.SUPPORTED)
def test_every_text_is_a_non_empty_string_without_stray_braces(language):
    for key, value in catalogue(language).items():
        assert isinstance(value, str) and value.strip(), f"{language} {key}"
        value.format_map({name: "x" for name in placeholders(value)})  # no lone { or }


def test_every_key_the_code_uses_has_a_french_text():
    used = keys_in_code() | option_keys() | {RESIDENT.welcome}
    used |= {key for q in RESIDENT.questions for key in (q.prompt, q.short) if key}
    assert used - set(catalogue(DEFAULT_LANGUAGE)) == set()
    assert len(used) > 60  # the scan does find the keys


def test_texts_carry_no_invisible_direction_marks():
    """Telegram and the inbox (dir="auto") lay out Arabic by themselves."""
    marks = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
    for code in languages.SUPPORTED:
        assert not [k for k, v in catalogue(code).items() if marks.search(v)], code
