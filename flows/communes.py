"""The commune gazetteer: which French commune a person means by what they typed.

`find` tries, in order: the exact name (case, accents, hyphens, "st"/"ste" and the
leading article optional), the name narrowed by a postcode or a département, then a
completion or a close spelling, which is only ever a suggestion for the person to confirm.
"""
from __future__ import annotations

import csv
import functools
import operator
import re
from collections import defaultdict
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

from flows.commune_spelling import MAX_SUGGESTIONS, SpellingIndex
from flows.textnorm import FILLERS, GREETINGS, POLITENESS, phrases, place_key, strip_phrase
from flows.textnorm import without_article as bare

DATA_PATH = Path(__file__).parent / "data" / "communes-fr.csv"

# What people write before and after the name of their town.
_LEAD_INS = GREETINGS + FILLERS + phrases(
    "j'habite", "jhabite", "j'habites", "habite", "je vis", "jvis", "je suis", "jsuis", "j'suis",
    "chui", "je reste", "je demeure", "je loge", "je me trouve", "on habite", "on vit", "on est",
    "nous habitons", "nous vivons", "nous sommes", "actuellement", "je viens de", "je suis de",
    "c'est", "cest", "c", "ces", "ma ville", "ma commune", "mon village", "a", "au", "aux", "sur",
    "dans", "en", "vers", "chez", "ville de", "la ville de", "commune de", "la commune de",
    "village de", "code postal", "cp", "mon code postal")
_TRAILERS = POLITENESS + phrases("france")
_CONNECTORS = frozenset({"a", "au", "en", "dans", "le", "la", "les", "l", "du", "de", "des", "d"})
_ARRONDISSEMENT = re.compile(r"^(.*) (\d+)(?:er|e) arrondissement$")
_MAX_CHARS, _MAX_WORDS = 300, 12  # a longer message is not a commune name
_NAMESAKE_FACTOR, _NAMESAKE_MIN = 10, 10_000  # "evry" also means Évry-Courcouronnes


@dataclass(frozen=True)
class Commune:
    """A commune (or a municipal arrondissement of Paris, Lyon or Marseille)."""

    insee: str
    name: str
    postcodes: tuple[str, ...]
    departement: str
    departement_name: str
    epci_siren: str
    epci_name: str
    population: int
    parent_insee: str  # "" when none

    @property
    def label(self) -> str:
        """Name and first postcode, "Sarcelles (95200)"; else the département, "Paris (75)"."""
        return f"{self.name} ({self.postcodes[0] if self.postcodes else self.departement})"


@dataclass(frozen=True)
class Match:
    """What a text designates: "found", "ambiguous", "suggest" or "unknown"."""

    kind: str
    communes: tuple[Commune, ...] = ()


UNKNOWN = Match("unknown")


class _Query(NamedTuple):
    """A name narrowed by postcodes and/or départements."""

    name: str
    postcodes: tuple[str, ...]
    departements: frozenset[str]


def _arrondissement_aliases(key: str) -> list[str]:
    """Ways to write an arrondissement: "paris 11", "paris 11e", "paris 11eme"…"""
    found = _ARRONDISSEMENT.match(key)
    if not found:
        return []
    city, number = found.groups()
    return [f"{city} {number}{suffix}{tail}" for suffix in ("", "e", "eme", "er", "ieme")
            for tail in ("", " arrondissement", " arr")]


def _by_population(communes: Iterable[Commune]) -> tuple[Commune, ...]:
    """Distinct communes, most populous first."""
    unique = {c.insee: c for c in communes}.values()
    return tuple(sorted(unique, key=lambda c: (-c.population, c.insee)))


def _listed(communes: Iterable[Commune]) -> Match:
    """Found for one commune, ambiguous for several, unknown for none."""
    ordered = _by_population(communes)
    if not ordered:
        return UNKNOWN
    return Match("found" if len(ordered) == 1 else "ambiguous", ordered)


class Gazetteer:
    """All communes, indexed by INSEE code, name, postcode and département."""

    def __init__(self, communes: Iterable[Commune]):
        """Index the communes; arrondissements inherit their city's département and EPCI."""
        self._by_insee = {c.insee: c for c in communes}
        for c in [c for c in self._by_insee.values() if c.parent_insee and not c.departement]:
            city = self._by_insee[c.parent_insee]
            self._by_insee[c.insee] = replace(
                c, departement=city.departement, departement_name=city.departement_name,
                epci_siren=city.epci_siren, epci_name=city.epci_name)
        self._key: dict[str, str] = {}  # INSEE code → place key of the name
        self._names: dict[str, list[Commune]] = defaultdict(list)  # with arrondissement aliases
        self._bare_names: dict[str, list[Commune]] = defaultdict(list)  # "havre" → Le Havre
        self._postcodes: dict[str, list[Commune]] = defaultdict(list)
        self._in_departement: dict[str, list[Commune]] = defaultdict(list)
        self._departements: dict[str, frozenset[str]] = {"corse": frozenset({"2A", "2B"})}
        searchable: dict[str, list[Commune]] = defaultdict(list)  # names, without arrondissements
        for c in self._by_insee.values():
            key = self._key[c.insee] = place_key(c.name)
            self._names[key].append(c)
            if bare(key) != key:
                self._bare_names[bare(key)].append(c)
            for alias in _arrondissement_aliases(key) if c.parent_insee else ():
                self._names[alias].append(c)
            for k in () if c.parent_insee else {key, bare(key)}:
                searchable[k].append(c)
            for postcode in c.postcodes:
                self._postcodes[postcode].append(c)
            if c.departement not in self._in_departement:
                dep_key = place_key(c.departement_name)  # "seine saint denis", "la reunion"
                for k in {c.departement.lower(), dep_key, bare(dep_key)} - {""}:
                    self._departements[k] = frozenset({c.departement})
            self._in_departement[c.departement].append(c)
        self._all = SpellingIndex(dict(searchable))

    @classmethod
    def from_csv(cls, path: str | Path) -> Gazetteer:
        """Load the communes from a CSV file with the columns of data/communes-fr.csv."""
        with open(path, encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            header = next(rows)
            pick = operator.itemgetter(*(header.index(field.name) for field in fields(Commune)))
            return cls(Commune(insee, name, tuple(postcodes.split()), dep, dep_name, epci, epci_name,
                               int(population or 0), parent)
                       for insee, name, postcodes, dep, dep_name, epci, epci_name, population, parent
                       in map(pick, rows))

    def by_insee(self, insee: str) -> Commune | None:
        """The commune with this INSEE code, if any."""
        return self._by_insee.get(insee.strip().upper())

    def communes(self) -> Iterable[Commune]:
        """Every commune and arrondissement, in no particular order."""
        return self._by_insee.values()

    def find(self, text: str) -> Match:
        """The commune(s) meant by what a person typed."""
        words = self._words(text)
        if not words:
            return UNKNOWN
        whole = " ".join(words)
        query = None if self._exact(whole) else self._qualify(words)
        return self._find_qualified(query, whole) if query else self._find_name(whole)

    def settle(self, candidates: Sequence[Commune], text: str) -> Match:
        """Narrow an ambiguous list with a postcode, a département (code or name) or a name."""
        words = self._words(text)
        if not words or not candidates:
            return UNKNOWN
        spaced = f" {' '.join(words)} "
        postcodes = {p for p in map(self._postcode, words) if p}
        departements = {d for k, codes in self._departements.items() if f" {k} " in spaced
                        for d in codes}
        kept = list(candidates)
        if postcodes:  # a neighbouring commune's postcode still tells the département
            near = {c.departement for p in postcodes for c in self._postcodes[p]}
            kept = ([c for c in kept if self._served(c) & postcodes]
                    or [c for c in kept if c.departement in near])
        if departements:
            kept = [c for c in kept if c.departement in departements]
        if not postcodes and not departements:
            kept = [c for c in kept if spaced in f" {self._key[c.insee]} {bare(self._key[c.insee])} "]
        return _listed(kept)

    def _words(self, text: str) -> list[str]:
        """The words of a message, without greetings, "j'habite à", "merci" and the like."""
        if not text or len(text) > _MAX_CHARS:
            return []
        words = self._join_postcode(place_key(text).split())
        while words and not self._exact(" ".join(words)):  # "Vers", "Ville-d'Avray" stay whole
            shorter = strip_phrase(words, _LEAD_INS)
            shorter = shorter if shorter is not None else strip_phrase(words, _TRAILERS, at_end=True)
            if shorter is None:
                break
            words = shorter
        return words if len(words) <= _MAX_WORDS else []

    def _join_postcode(self, words: list[str]) -> list[str]:
        """Join a postcode typed in two parts: "95 200" → "95200"."""
        for i in range(len(words) - 1):
            if len(words[i]) == 2 and words[i] + words[i + 1] in self._postcodes:
                return [*words[:i], words[i] + words[i + 1], *words[i + 2:]]
        return words

    def _postcode(self, word: str) -> str | None:
        """The known postcode a word stands for ("1000" stands for "01000")."""
        if word.isdigit() and len(word) in (4, 5):
            return next((p for p in (word, "0" + word) if len(p) == 5 and p in self._postcodes), None)
        return None

    def _served(self, commune: Commune) -> set[str]:
        """The postcodes of a commune, or of its arrondissements for Paris, Lyon and Marseille."""
        if commune.postcodes:
            return set(commune.postcodes)
        return {p for p, served in self._postcodes.items()
                if any(c.parent_insee == commune.insee for c in served)}

    def _exact(self, key: str) -> list[Commune]:
        """Communes with exactly this name, the leading article optional (or wrong)."""
        found = self._names.get(key) or self._bare_names.get(key) or self._bare_names.get(bare(key))
        return found or []

    def _find_name(self, key: str) -> Match:
        """The communes with this name, else close spellings."""
        hits = self._exact(key)
        if hits:
            return _listed([*hits, *self._bigger_namesakes(key, hits)])
        close = self._all.suggest(key)
        return Match("suggest", close) if close else UNKNOWN

    def _bigger_namesakes(self, key: str, hits: Sequence[Commune]) -> list[Commune]:
        """Much bigger towns whose name goes on from the key: "evry" → Évry-Courcouronnes."""
        floor = max(_NAMESAKE_FACTOR * max(c.population for c in hits), _NAMESAKE_MIN)
        bigger = [c for k in self._all.starting_with(key + " ") for c in self._all.named[k]
                  if c.population >= floor]
        return list(_by_population(bigger)[:2])

    def _qualify(self, words: list[str]) -> _Query | None:
        """Split postcodes and départements (codes at either end, names at the end) from a name."""
        postcodes = tuple(p for p in map(self._postcode, words) if p)
        rest = [w for w in words if not self._postcode(w)]
        departements: set[str] = set()
        for edge in (-1, 0):
            if rest and rest[edge][:1].isdigit() and rest[edge] in self._departements:
                departements |= self._departements[rest.pop(edge)]
        for n in range(min(4, len(rest) - 1), 0, -1):
            if not departements and " ".join(rest[-n:]) in self._departements:
                departements, rest = set(self._departements[" ".join(rest[-n:])]), rest[:-n]
        while rest and rest[-1] in _CONNECTORS:  # "saint denis dans le (93)"
            rest.pop()
        if not postcodes and not departements:
            return None
        return _Query(" ".join(rest), postcodes, frozenset(departements))

    def _find_qualified(self, query: _Query, whole: str) -> Match:
        """The commune named in a query, within its postcodes and départements."""
        if query.postcodes:
            scope = [c for p in query.postcodes for c in self._postcodes[p]
                     if not query.departements or c.departement in query.departements]
        else:
            scope = [c for d in query.departements for c in self._in_departement.get(d, [])]
        if not query.name:
            return _listed(scope) if query.postcodes else UNKNOWN
        named = {c.insee for c in self._exact(query.name)}
        spaced = f" {query.name} " if query.postcodes else ""  # "Sarcelles <b>95200</b>"
        fitting = ([c for c in scope if c.insee in named]
                   or [c for c in scope if c.parent_insee in named]
                   or [c for c in scope if f" {self._key[c.insee]} " in spaced])
        if fitting:
            return _listed(fitting)
        choices: dict[str, list[Commune]] = defaultdict(list)
        for c in scope:  # an arrondissement answers to its city's name too
            key = self._key[c.insee]
            for k in {key, bare(key), self._key.get(c.parent_insee, "")} - {""}:
                choices[k].append(c)
        close = SpellingIndex(dict(choices)).suggest(query.name)
        if close and query.postcodes and len(_by_population(scope)) == 1:
            return Match("found", close[:1])  # the postcode is certain and the name agrees
        if not close:  # the name and its postcode or département disagree: offer both
            loose = self._find_name(query.name).communes or self._all.suggest(whole)
            close = (*loose, *(_by_population(scope) if query.postcodes else ()))
        close = tuple({c.insee: c for c in close}.values())[:MAX_SUGGESTIONS]
        return Match("suggest", close) if close else UNKNOWN


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer of all French communes shipped with the project, loaded once."""
    return Gazetteer.from_csv(DATA_PATH)
