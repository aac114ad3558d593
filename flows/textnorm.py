"""Text normalisation shared by everything that reads what people type."""
from __future__ import annotations

import re
import unicodedata

# Ligatures and letters that NFKD does not decompose into a base letter and an accent.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})
# Accents and other combining marks of the Basic Multilingual Plane, removed after NFKD.
_COMBINING = re.compile("[%s]" % "".join(
    re.escape(chr(cp)) for cp in range(0x10000) if unicodedata.combining(chr(cp))))
_NOT_WORD = re.compile(r"[\W_]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_ARTICLES = frozenset({"le", "la", "les", "l", "aux", "las", "los"})

Phrase = tuple[str, ...]


def normalize(text: str) -> str:
    """Lowercase, strip accents, turn punctuation into spaces and collapse spaces."""
    if text.isascii():  # the common case, and four times quicker
        return _NOT_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    return _NOT_WORD.sub(" ", _COMBINING.sub("", decomposed)).strip()


def place_key(text: str) -> str:
    """A place name as it is compared: normalised, "st"/"ste" spelled out ("saint denis")."""
    words = normalize(text).split()
    if _ABBREVIATIONS.keys().isdisjoint(words):
        return " ".join(words)
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def without_article(key: str) -> str:
    """A place key without its leading article: "le havre" → "havre", "l isle adam" → "isle adam"."""
    first, _, rest = key.partition(" ")
    return rest if rest and first in _ARTICLES else key


def phrases(*texts: str) -> list[Phrase]:
    """Normalised phrases as word tuples, longest first (so "merci beaucoup" before "merci")."""
    return sorted({tuple(normalize(text).split()) for text in texts}, key=len, reverse=True)


# Words around an answer that say nothing about it.
GREETINGS = phrases("bonjour", "bonsoir", "salut", "coucou", "hello", "bjr", "slt", "cc", "allo")
FILLERS = phrases("oui", "ouais", "ben", "bah", "euh", "alors", "donc", "moi", "nous")
POLITENESS = phrases("merci", "merci beaucoup", "svp", "stp", "s'il vous plaît", "s'il te plaît",
                     "voilà", "cordialement", "bonne journée", "bonne soirée")


def strip_phrase(words: list[str], among: list[Phrase], at_end: bool = False) -> list[str] | None:
    """The words without the first of the phrases found at their start (or end); None if none.

    Never strips every word: "merci" alone stays "merci".
    """
    for phrase in among:
        n = len(phrase)
        if len(words) > n and tuple(words[-n:] if at_end else words[:n]) == phrase:
            return words[:-n] if at_end else words[n:]
    return None
