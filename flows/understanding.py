"""Reading answers as people type them on a phone: numbers, words, SMS spelling, typos."""
from __future__ import annotations

import re
from typing import Sequence

from rapidfuzz import fuzz

from flows.textnorm import normalize
from flows.vocabulary import Choice

# Common SMS spellings, expanded before matching ("g pa de voiture").
SMS_SPELLING = {
    "g": "j ai", "jai": "j ai", "pa": "pas", "pr": "pour", "ds": "dans", "ke": "que",
    "koi": "quoi", "kan": "quand", "c": "c est", "cest": "c est",
    "bcp": "beaucoup", "tjr": "toujours", "tjrs": "toujours", "jsp": "je sais pas",
    "chui": "je suis", "chuis": "je suis", "jsuis": "je suis", "slt": "salut",
    "bjr": "bonjour", "stp": "s il te plait", "svp": "s il vous plait", "oto": "auto",
    "tro": "trop", "dacc": "d accord", "oky": "ok", "tt": "tout",
    "mat": "matin", "aprem": "apres midi", "exam": "examen", "rdv": "rendez vous",
}

NUMBER_WORDS = {
    "un": 1, "une": 1, "premier": 1, "premiere": 1, "deux": 2, "deuxieme": 2, "trois": 3,
    "troisieme": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10,
}

FUZZY_MIN_LENGTH = 5  # shorter words must be spelt right: "car" is not "cher"
FUZZY_SCORE = 84


def read(text: str) -> str:
    """The text normalised, with SMS spellings expanded."""
    words = normalize(text).split()
    return " ".join(SMS_SPELLING.get(word, word) for word in words)


def numbers_in(text: str, count: int) -> list[int]:
    """Option numbers given as digits or words: "1 3", "1,3", "un et trois", "13"."""
    found: list[int] = []
    for token in read(text).split():
        if token.isdigit():
            value = int(token)
            if 1 <= value <= count:
                found.append(value)
            elif len(token) <= count and all(1 <= int(d) <= count for d in token):
                found.extend(int(d) for d in token)  # "13" meaning 1 and 3
        elif token in NUMBER_WORDS and NUMBER_WORDS[token] <= count:
            found.append(NUMBER_WORDS[token])
    return list(dict.fromkeys(found))


def is_only_numbers(text: str) -> bool:
    """True when the answer is nothing but option numbers and separators."""
    words = [w for w in read(text).split() if w not in ("et", "ou", "le", "la", "les")]
    return bool(words) and all(w.isdigit() or w in NUMBER_WORDS for w in words)


def has_phrase(text: str, phrase: str) -> bool:
    """Whether a normalised phrase stands in the text as whole words."""
    return f" {phrase} " in f" {text} "


def close_word(text: str, keyword: str) -> bool:
    """Whether some word of the text is a close spelling of a long keyword."""
    if len(keyword) < FUZZY_MIN_LENGTH or " " in keyword:
        return False
    return any(
        len(word) >= FUZZY_MIN_LENGTH - 1 and fuzz.ratio(word, keyword) >= FUZZY_SCORE
        for word in text.split()
    )


def choices_in(text: str, choices: Sequence[Choice]) -> list[str]:
    """Ids of the choices named by number or by their words, in the order offered."""
    picked = {choices[n - 1].id for n in numbers_in(text, len(choices))}
    said = read(text)
    for choice in choices:
        if any(has_phrase(said, k) or close_word(said, k) for k in choice.keywords):
            picked.add(choice.id)
    return [c.id for c in choices if c.id in picked]


def yes_or_no(text: str, choices: Sequence[Choice]) -> str | None:
    """"yes", "no" or None; a "no" wins over a "yes" it contains ("pas d'accord")."""
    picked = choices_in(text, choices)
    if len(picked) == 2:
        return "no"
    return picked[0] if picked else None


def one_choice(text: str, choices: Sequence[Choice]) -> str | None:
    """The single choice meant by the answer, or None when it is unclear or several."""
    picked = choices_in(text, choices)
    return picked[0] if len(picked) == 1 else None


# Words that carry no answer on their own: greetings, politeness, small words.
FILLER = frozenset(
    "bonjour bonsoir salut coucou hello cc re merci beaucoup oui non ok c est moi je j ai "
    "suis tu il elle on nous vous le la les un une des de du d l a au aux et ou mais donc "
    "pas ne n y en que qui quoi ca sa ma mon mes ta ton pour par sur dans avec sans tres "
    "trop bien alors voila euh hmm ben bah svp s il vous plait te".split()
)


def says_something(text: str) -> bool:
    """Whether free text holds at least two meaningful words, not just a greeting."""
    meaningful = [w for w in read(text).split() if len(w) >= 3 and w not in FILLER]
    return len(meaningful) >= 2


def has_words(text: str) -> bool:
    """Whether the text says something in words (letters), beyond option numbers."""
    return bool(re.search(r"[^\W\d_]{2,}", text)) and not is_only_numbers(text)
