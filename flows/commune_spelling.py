"""Close spellings and completions of commune names: "sarcel" → Sarcelles, "marseile" → Marseille.

Only ever suggestions: the person confirms before a commune is taken.
"""
from __future__ import annotations

import bisect
import math
from collections import defaultdict
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from flows.communes import Commune

_FUZZY_MIN_LETTERS = 4  # "oui", "non", "ok" are never spelling mistakes
_FUZZY_FLOOR, _SHORT_FUZZY_FLOOR, _LONG_NAME = 80, 85, 10  # no suggestion under this fuzz.ratio
# Points per factor of ten inhabitants: a little to accept a spelling ("voiture" is not
# Voiteur, 746 inhabitants), a lot to rank them (by "sarcel" people mean Sarcelles, not Sarcé).
_ACCEPT_WEIGHT, _RANK_WEIGHT = 2.0, 6.0
_SUGGEST_THRESHOLD = 92  # the fuzz.ratio plus the accepting bonus needed to suggest
_WORD_COMPLETION, _PARTIAL_COMPLETION = 92, 84  # "boulogne" → Boulogne-sur-Mer; "sarcel" (towns)
_COMPLETION_MIN_CHARS, _MAX_COMPLETIONS = 5, 200  # "saint" alone is too vague to complete
MAX_SUGGESTIONS = 3

class SpellingIndex:
    """Names to match a typed name against, by completion and by close spelling."""

    def __init__(self, named: dict[str, list[Commune]]):
        """Index the names, and group them by their first and second letters."""
        self.named = named
        self.sorted = sorted(named)
        self.by_letter: dict[tuple[int, str], list[str]] = defaultdict(list)
        for key in named:
            for position, letter in enumerate(key[:2]):
                self.by_letter[position, letter].append(key)

    def starting_with(self, prefix: str) -> list[str]:
        """The names that start with a prefix; none if there are too many to help."""
        start = bisect.bisect_left(self.sorted, prefix)
        end = bisect.bisect_left(self.sorted, prefix + "\uffff")
        return self.sorted[start:end] if end - start <= _MAX_COMPLETIONS else []

    def suggest(self, key: str) -> tuple[Commune, ...]:
        """Up to three completions or close spellings of a key, likeliest first."""
        if sum(ch.isalpha() for ch in key) < _FUZZY_MIN_LETTERS:
            return ()
        scores: dict[str, float] = {}
        if len(key) >= _COMPLETION_MIN_CHARS:
            scores = {k: _WORD_COMPLETION if k[len(key)] == " " else _PARTIAL_COMPLETION
                      for k in self.starting_with(key) if k != key}
        # Names with the same first letter; if none is close (a typo in the first letter), those
        # with its first or second letter in first or second place: much quicker than all names.
        best = self._best(key, scores, [(0, key[0])])
        return best or self._best(key, scores, [(1, key[0]), (0, key[1]), (1, key[1])])

    def _best(self, key: str, scores: dict[str, float], groups: list[tuple[int, str]],
              ) -> tuple[Commune, ...]:
        """Add the close spellings among some groups of names to the scores; the best three."""
        floor = _FUZZY_FLOOR if len(key) >= _LONG_NAME else _SHORT_FUZZY_FLOOR
        for group in groups:
            for k, score, _ in process.extract(key, self.by_letter.get(group, []), scorer=fuzz.ratio,
                                               score_cutoff=floor, limit=50):
                scores[k] = max(score, scores.get(k, 0))
        scored = [(score, math.log10(1 + c.population), c)
                  for k, score in scores.items() for c in self.named[k]]
        kept = [(score + _RANK_WEIGHT * size, c) for score, size, c in scored
                if score + _ACCEPT_WEIGHT * size >= _SUGGEST_THRESHOLD]
        best = {c.insee: c for _, c in sorted(kept, key=lambda pair: (-pair[0], pair[1].insee))}
        return tuple(best.values())[:MAX_SUGGESTIONS]
