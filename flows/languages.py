"""The languages a person can read the service in, and how they choose one.

Each language is a catalogue file (flows/texts/<code>.toml), its words in
flows/global_words.py, and its name below: in itself on Telegram buttons, in plain
letters on SMS (an Arabic or Cyrillic letter makes the whole SMS cost twice as much).

A person chooses in one answer: the language options come under the first question at
first contact (a French speaker just answers it), or after the word LANGUE at any time.
An option is tapped, or answered with its number or the name of the language.
"""
from __future__ import annotations

from typing import Sequence

from flows.model import Option
from flows.textnorm import normalize

SUPPORTED = ("fr", "en", "es", "ar", "uk")  # in the order they are offered
NAMES = {  # code: (name in itself, the same in GSM-7 letters for SMS)
    "fr": ("Français", "Francais"),
    "en": ("English", "English"),
    "es": ("Español", "Español"),  # ñ is a GSM-7 letter
    "ar": ("العربية", "Arabi"),
    "uk": ("Українська", "Ukrainska"),
}
OPTION_PREFIX = "language_"
PICTOGRAM = "🌐"

# Words that name a language, in itself and in the other languages (normalised on load).
_NAMES = {
    "fr": ("francais", "français", "french", "frances", "francés", "fr", "французька",
           "французская", "فرنسي", "فرنسية", "الفرنسية", "الفرنساوي"),
    "en": ("english", "anglais", "ingles", "inglés", "en", "англійська", "английский",
           "انجليزي", "انجليزية", "الانجليزية", "الإنجليزية", "انكليزي"),
    "es": ("español", "espanol", "espagnol", "spanish", "castellano", "es", "іспанська",
           "испанский", "اسباني", "اسبانية", "الاسبانية", "الإسبانية"),
    "ar": ("arabi", "arbi", "3arbi", "arabe", "arabic", "arab", "árabe", "ar", "арабська",
           "арабский", "عربي", "عربية", "العربية", "العربي", "بالعربي"),
    "uk": ("ukrainska", "ukrainien", "ukrainienne", "ukrainian", "ucraniano", "uk", "ua",
           "українська", "украинский", "украинська", "украiнська", "الاوكرانية", "الأوكرانية"),
}
_BY_NAME = {normalize(name): code for code, names in _NAMES.items() for name in names}


def from_hint(hint: str | None) -> str | None:
    """A supported language from a platform's language code ("en-GB" → "en"), or None."""
    code = (hint or "").replace("_", "-").split("-")[0].strip().lower()
    return code if code in SUPPORTED else None


def plain_letters(channel: str) -> bool:
    """Whether language names must be written in plain letters: everywhere but Telegram."""
    return not channel.startswith("telegram")


def name(code: str, channel: str) -> str:
    native, plain = NAMES[code]
    return plain if plain_letters(channel) else native


def options(codes: Sequence[str], channel: str) -> tuple[Option, ...]:
    """One option per language, named in itself."""
    return tuple(Option(f"{OPTION_PREFIX}{code}", "", PICTOGRAM, text=name(code, channel))
                 for code in codes)


def others(code: str) -> tuple[str, ...]:
    """The languages to offer someone now reading `code`."""
    return tuple(c for c in SUPPORTED if c != code)


def chosen(option_id: str | None, typed: str, offered: Sequence[str], first_number: int = 1
           ) -> str | None:
    """The language picked among `offered` (numbered from `first_number`), or None.

    A tapped option, the number of an option, or the name of any supported language.
    """
    if option_id and option_id.startswith(OPTION_PREFIX):
        code = option_id.removeprefix(OPTION_PREFIX)
        return code if code in SUPPORTED else None
    said = normalize(typed[:40])
    if said.isdigit():
        index = int(said) - first_number
        return offered[index] if 0 <= index < len(offered) else None
    return _BY_NAME.get(said)
