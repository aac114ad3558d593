"""An ambassador's logbook ("journal de bord"): one outing, told in a few answers.

    menu: SORTIE ─► where (market, school gate, building hall…) → neighbourhood or town
    → how many people met → did the weather get in the way → what struck you (or RIEN)
    → summary ─ yes ─► the runtime records the outing: record_outing
                       (referrals the ambassador makes today are linked to it)

QUITTER at any question drops the outing; nothing is kept. The questions are asked only
after SORTIE (their skip rule), inside the ambassador's flow (flows.partner).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flows import understanding as heard
from flows.communes import default_gazetteer
from flows.model import Effect, Inbound, Option, Reply, State
from flows.partner_questions import LEAVE, FreeText, says_leave
from flows.questions import Answer, Missed, OneOf, Outcome, Question
from flows.referral import Leavable
from flows.summary import Summary
from flows.vocabulary import Choice

OUTING = "outing"  # the menu choice that starts an outing
OUTING_WORDS = ("sortie", "sorties", "nouvelle sortie", "journal", "journal de bord",
                "outing", "salida", "خرجة", "вихід")
MAX_PEOPLE = 2000  # more than this in one outing is surely a typing slip
MAX_AREA_LENGTH = 80

PLACES = (
    Choice("market", "🧺", ("marche", "brocante", "vide grenier")),
    Choice("school_gate", "🏫", ("ecole", "college", "creche", "sortie d ecole")),
    Choice("building_hall", "🏢", ("hall", "immeuble", "bas d immeuble", "cage d escalier")),
    Choice("door_to_door", "🚪", ("porte a porte", "porte", "portes")),
    Choice("drop_in", "☕", ("permanence", "accueil", "centre social", "maison de quartier")),
    Choice("event", "🎪", ("evenement", "fete", "forum", "festival", "salon")),
    Choice("other", "✏️", ("autre", "autre chose", "ailleurs")),
)

WEATHER = (
    Choice("none", "🙂", ("non", "rien", "aucun", "pas gene", "ca allait", "beau", "beau temps",
                         "no", "nada", "لا", "ні")),
    Choice("rain", "🌧️", ("pluie", "pleut", "pleuvait", "pluvieux", "orage", "rain", "lluvia")),
    Choice("cold", "🥶", ("froid", "neige", "gel", "cold", "frio")),
    Choice("heat", "🥵", ("chaud", "chaleur", "canicule", "soleil", "heat", "calor")),
    Choice("wind", "💨", ("vent", "tempete", "wind", "viento")),
)

PARTS = (
    Choice("outing_place", "📍", ("lieu", "endroit", "quartier", "ville", "place")),
    Choice("outing_people", "👥", ("personnes", "nombre", "gens", "people")),
    Choice("outing_weather", "🌦️", ("meteo", "temps", "weather")),
    Choice("outing_note", "📝", ("marque", "note", "remarque", "note")),
)

# "Une dizaine": an approximate number is a fine answer.
ABOUT = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
         "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100}
MORE_NUMBER_WORDS = {"onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30,
                     "quarante": 40, "cinquante": 50, "cent": 100}
NOBODY = ("personne", "aucune", "aucun", "zero", "nobody", "nadie", "ninguna")


def says_outing(text: str) -> bool:
    """Whether a message asks for the logbook (an alert giver may write it too)."""
    return heard.one_choice(text, (Choice(OUTING, "", OUTING_WORDS),)) == OUTING


def people_count(text: str) -> int | None:
    """12, "douze", "une dizaine", "environ 30", "personne": the number of people met."""
    said = heard.read(text)
    if said in NOBODY:
        return 0
    for word in said.split():
        if word in ABOUT:
            return ABOUT[word]
    digits = re.search(r"\d+", said)
    if digits:
        return int(digits.group())
    words = {**heard.NUMBER_WORDS, **MORE_NUMBER_WORDS}
    found = [words[w] for w in said.split() if w in words]
    return found[0] if found else None


def recognised_commune(text: str) -> dict[str, str] | None:
    """The town of "Sarcelles" or "Les Flanades, Sarcelles", when it is clearly one."""
    pieces = [text] + [re.split(r",| à | a | - ", text)[-1]]
    for piece in pieces:
        match = default_gazetteer().find(piece)
        if match.kind == "found":
            commune = match.communes[0]
            return {"insee": commune.insee, "name": commune.name}
    return None


def not_logging(answers: dict[str, Any], inbound: Inbound) -> bool:
    return answers.get("menu") != OUTING


@dataclass(frozen=True)
class Place(Leavable, OneOf):
    """A kind of place; other words are kept as "other" with the ambassador's words."""

    def ask(self, state: State, again: bool = False) -> tuple[Reply, ...]:
        return super().ask(state, again or state.returning_to is not None)  # a correction

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        outcome = super().hear(inbound, state)
        if isinstance(outcome, Missed) and heard.has_words(inbound.text):
            return Answer("other", note=" ".join(inbound.text.split())[:MAX_AREA_LENGTH])
        return outcome


@dataclass(frozen=True)
class Area(Question):
    """A neighbourhood or a town in one's own words; the town is noted when it is clear."""

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        said = " ".join(inbound.text.split())[:MAX_AREA_LENGTH]
        if says_leave(said):
            return Answer(LEAVE)
        if not heard.has_words(said) and not re.search(r"\d{5}", said):
            return Missed()
        return Answer({"text": said, **(recognised_commune(said) or {})})


@dataclass(frozen=True)
class PeopleMet(Question):
    """How many people the ambassador met: a number, even approximate."""

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        if says_leave(inbound.text):
            return Answer(LEAVE)
        count = people_count(inbound.text)
        if count is None or count > MAX_PEOPLE:
            return Missed("outing.people_not_understood", asks_again=True)
        return Answer(count)


@dataclass(frozen=True)
class Weather(Leavable, OneOf):
    pass


@dataclass(frozen=True)
class Remark(Leavable, FreeText):
    pass


@dataclass(frozen=True)
class OutingSummary(Leavable, Summary):
    """The outing in a few lines; its yes and no buttons are the usual summary's."""

    def options(self) -> tuple[Option, ...]:
        return tuple(c.option("summary") for c in self.choices)


def area_label(area: dict[str, str]) -> str:
    """The area as written, with the town recognised when the words do not name it."""
    text, name = area.get("text", ""), area.get("name")
    return f"{text} ({name})" if name and name.lower() not in text.lower() else text


def describe(answers: dict[str, Any]) -> dict[str, Any]:
    """The summary's parameters."""
    place: tuple[str, ...] = (f"outing_place.{answers.get('outing_place')}",)
    if answers.get("outing_place_note"):
        place += (answers["outing_place_note"],)
    return {
        "place": place,
        "area": area_label(answers.get("outing_area", {})),
        "people": str(answers.get("outing_people", "")),
        "weather": (f"outing_weather.{answers.get('outing_weather')}",),
        "note": answers.get("outing_note") or "—",
    }


def outing_saved(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    """Confirmed: the runtime records the outing and links today's referrals to it."""
    answers = state.answers
    area, weather = answers.get("outing_area", {}), answers.get("outing_weather")
    outing = {
        "place_kind": answers.get("outing_place"),
        "place_note": answers.get("outing_place_note"),
        "area": area.get("text"),
        "commune_insee": area.get("insee"),
        "people_met": answers.get("outing_people"),
        "weather": weather if weather != "none" else None,
        "note": answers.get("outing_note"),
    }
    replies = (Reply("outing.saved"), Reply("outing.referrals_linked"),
               Reply("outing.offer_referral"))
    return replies, (Effect("record_outing", outing), Effect("forget_messages"))


def dropped(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    """QUITTER in the middle: this outing is not recorded."""
    return (Reply("outing.dropped"),), (Effect("forget_messages"),)


QUESTIONS: tuple[Question, ...] = (
    Place("outing_place", "outing.place", short="outing.place_short", group="outing_place",
          choices=PLACES, skip=not_logging),
    Area("outing_area", "outing.area", group="outing_place", skip=not_logging),
    PeopleMet("outing_people", "outing.people", group="outing_people", skip=not_logging),
    Weather("outing_weather", "outing.weather", group="outing_weather", choices=WEATHER,
            skip=not_logging),
    Remark("outing_note", "outing.note", group="outing_note", optional=True, skip=not_logging),
    OutingSummary("outing_summary", "outing.summary", describe=describe, parts=PARTS,
                  skip=not_logging),
)

EXITS = {**{(q.id, LEAVE): "outing_dropped" for q in QUESTIONS},
         ("outing_summary", "yes"): "outing_saved"}
ENDINGS = {"outing_dropped": dropped, "outing_saved": outing_saved}
