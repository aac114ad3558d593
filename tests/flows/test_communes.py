"""The commune gazetteer, as a specification: what a person types → what we understand."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from flows.communes import DATA_PATH, Gazetteer, Match, default_gazetteer
from flows.textnorm import (
    POLITENESS, normalize, phrases, place_key, strip_phrase, without_article,
)

SARCELLES, SAINT_DENIS_93, SAINT_DENIS_974 = "95585", "93066", "97411"
PARIS, MARSEILLE, LYON = "75056", "13055", "69123"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


def codes(match: Match) -> list[str]:
    return [c.insee for c in match.communes]


@pytest.mark.parametrize("text, expected", [
    ("Sarcelles", "sarcelles"),
    ("  SAINTE-GENEVIÈVE-DES-BOIS  ", "sainte genevieve des bois"),
    ("L’Isle-Adam", "l isle adam"),
    ("Œuilly; Évry!!", "oeuilly evry"),
    ("j'habite\tà\nSarcelles", "j habite a sarcelles"),
    ("😀🚗", ""),
    ("", ""),
])
def test_normalize_lowercases_strips_accents_and_punctuation(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize("text, key, bare", [
    ("St-Denis", "saint denis", "saint denis"),
    ("Ste Geneviève des Bois", "sainte genevieve des bois", "sainte genevieve des bois"),
    ("Le Havre", "le havre", "havre"),
    ("L'Isle-Adam", "l isle adam", "isle adam"),
    ("Les Mureaux", "les mureaux", "mureaux"),
    ("La", "la", "la"),  # an article alone stays
    ("Stella", "stella", "stella"),
])
def test_place_key_spells_out_saints_and_the_article_is_optional(
    text: str, key: str, bare: str,
) -> None:
    assert place_key(text) == key
    assert without_article(key) == bare


@pytest.mark.parametrize("words, at_end, expected", [
    (["merci", "beaucoup", "sarcelles"], False, ["sarcelles"]),
    (["sarcelles", "95"], True, None),
    (["sarcelles", "merci", "beaucoup"], True, ["sarcelles"]),
    (["sarcelles", "merci"], True, ["sarcelles"]),
    (["merci"], True, None),  # never every word
])
def test_strip_phrase(words: list[str], at_end: bool, expected: list[str] | None) -> None:
    assert strip_phrase(words, POLITENESS, at_end=at_end) == expected
    assert phrases("S'il vous plaît", "svp") == [("s", "il", "vous", "plait"), ("svp",)]


@pytest.mark.parametrize("text, insee", [
    # the name, however it is typed
    ("Sarcelles", SARCELLES),
    ("sarcelles", SARCELLES),
    ("SARCELLES", SARCELLES),
    ("Sarcelles.", SARCELLES),
    # with the words people put around it
    ("j'habite a sarcelles", SARCELLES),
    ("j habite à Sarcelles", SARCELLES),
    ("jhabite a sarcelles", SARCELLES),
    ("je suis à sarcelles", SARCELLES),
    ("je vis sur Sarcelles", SARCELLES),
    ("a sarcelles", SARCELLES),
    ("sur sarcelles", SARCELLES),
    ("dans la ville de sarcelles", SARCELLES),
    ("c'est Sarcelles", SARCELLES),
    ("Bonjour, j'habite à Sarcelles, merci", SARCELLES),
    # with a postcode or a département
    ("95200", SARCELLES),
    ("95 200", SARCELLES),
    ("Sarcelles 95200", SARCELLES),
    ("95200 sarcelles", SARCELLES),
    ("Sarcelles 95", SARCELLES),
    ("Sarcelles (95)", SARCELLES),
    ("95200 sarcel", SARCELLES),  # the postcode is certain and the name agrees
    ("Sarcelles 🚌🚌🚌 <b>95200</b>", SARCELLES),
    # accents, hyphens, apostrophes and "st"/"ste" are optional
    ("evry courcouronnes", "91228"),
    ("Évry-Courcouronnes", "91228"),
    ("chateauroux", "36044"),
    ("CHÂTEAUROUX", "36044"),
    ("l'isle adam", "95313"),
    ("L'Isle-Adam", "95313"),
    ("l isle-adam", "95313"),
    ("isle adam", "95313"),  # the article is optional
    ("le havre", "76351"),
    ("j'habite au Havre", "76351"),
    ("les mureaux", "78440"),
    ("la courneuve", "93027"),
    ("st ouen sur seine", "93070"),
    ("aix en provence", "13001"),
    # a homonym told apart by its département
    ("saint denis 93", SAINT_DENIS_93),
    ("St-Denis 93", SAINT_DENIS_93),
    ("93 saint denis", SAINT_DENIS_93),
    ("saint denis dans le 93", SAINT_DENIS_93),
    ("saint denis seine saint denis", SAINT_DENIS_93),
    ("saint denis 93200", SAINT_DENIS_93),
    ("Saint-Denis 974", SAINT_DENIS_974),
    ("saint denis la réunion", SAINT_DENIS_974),
    ("saint denis à la reunion", SAINT_DENIS_974),
    ("saint denis reunion", SAINT_DENIS_974),
    ("97400", SAINT_DENIS_974),
    # Corsica, and a postcode typed without its leading zero
    ("Ajaccio", "2A004"),
    ("ajaccio 2a", "2A004"),
    ("1440", "01451"),
    # Paris, Lyon, Marseille: the city by name, an arrondissement by postcode or number
    ("Paris", PARIS),
    ("paris 75", PARIS),
    ("Lyon", LYON),
    ("Marseille", MARSEILLE),
    ("75011", "75111"),
    ("75116", "75116"),
    ("Paris 75011", "75111"),
    ("paris 11e", "75111"),
    ("Paris 11eme", "75111"),
    ("paris 1er", "75101"),
    ("Marseille 13008", "13208"),
    ("13008 marseile", "13208"),
    ("lyon 3", "69383"),
    ("69003", "69383"),
    # names that are also ordinary words are communes too
    ("Y", "80829"),
    ("Eu", "76255"),
])
def test_find_one_commune_for_certain(gazetteer: Gazetteer, text: str, insee: str) -> None:
    match = gazetteer.find(text)
    assert (match.kind, codes(match)) == ("found", [insee])


@pytest.mark.parametrize("text, first_codes", [
    # several communes of that exact name, most populous first: ask the postcode
    ("Saint-Denis", [SAINT_DENIS_974, SAINT_DENIS_93, "11339"]),
    ("st denis", [SAINT_DENIS_974, SAINT_DENIS_93, "11339"]),
    ("ste genevieve des bois", ["91549", "45278"]),
    ("Sainte-Geneviève-des-Bois", ["91549", "45278"]),
    ("la rochelle", ["17300", "70450"]),
    ("rochelle", ["17300", "70450"]),
    # a much bigger town is usually what people mean by the short name
    ("evry", ["91228", "89162"]),
    ("clermont", ["63113", "60157"]),
    # a postcode shared by several communes
    ("51300", ["51649"]),
    ("01000", ["01053", "01344"]),
])
def test_find_several_communes_to_choose_from(
    gazetteer: Gazetteer, text: str, first_codes: list[str],
) -> None:
    match = gazetteer.find(text)
    assert match.kind == "ambiguous"
    assert codes(match)[:len(first_codes)] == first_codes
    populations = [c.population for c in match.communes]
    assert populations == sorted(populations, reverse=True)


def test_an_ambiguous_name_lists_every_commune_of_that_name(gazetteer: Gazetteer) -> None:
    match = gazetteer.find("Saint-Denis")
    assert len(match.communes) == 4
    assert {c.name for c in match.communes} == {"Saint-Denis"}


def test_an_ambiguous_postcode_lists_every_commune_it_serves(gazetteer: Gazetteer) -> None:
    match = gazetteer.find("51300")
    assert len(match.communes) == 46
    assert all("51300" in c.postcodes for c in match.communes)


@pytest.mark.parametrize("text, best", [
    # typos: one letter missing, doubled or wrong
    ("sarcelle", SARCELLES),
    ("sarcellles", SARCELLES),
    ("sarcel", SARCELLES),
    ("j'habite a sarcelle", SARCELLES),
    ("marseile", MARSEILLE),
    ("montpelier", "34172"),
    ("strasbour", "67482"),
    ("toulouze", "31555"),
    ("bobigni", "93008"),
    ("creteuil", "94028"),
    ("nantere", "92050"),
    ("lile", "59350"),
    ("evri courcouronnes", "91228"),
    ("villeneuve sur lo", "47323"),
    ("la rochele", "17300"),
    # a name cut short
    ("cherbourg", "50129"),
    ("boulogne", "92012"),
    # a name that contradicts its postcode or département: confirm with the person
    ("sarcelles 93", SARCELLES),
    ("95200 marseille", MARSEILLE),
])
def test_find_suggests_a_close_spelling(gazetteer: Gazetteer, text: str, best: str) -> None:
    match = gazetteer.find(text)
    assert match.kind == "suggest"
    assert codes(match)[0] == best
    assert 1 <= len(match.communes) <= 3


@pytest.mark.parametrize("text", [
    "", "   ", "\n\t", "?!", "...", "oui", "non", "ok", "bonjour", "xyz", "rien", "je sais pas",
    "merci", "salut", "travail", "trop cher", "93", "75", "0", "2024", "99999",
    "😀🚗", "🏠" * 2000, "مرحبا بكم", "שלום", "x" * 5000, "Sarcelles " * 600,
])
def test_find_understands_nothing_in_chatter_or_bad_input(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.find(text) == Match("unknown", ())


@pytest.mark.parametrize("text", [
    "oui", "ouais", "non", "bonjour", "bonsoir", "merci", "voiture", "je sais pas", "je ne sais pas",
    "aidez moi", "pas de voiture", "g pa de voiture", "trop cher", "le bus", "rien", "help",
    "recommencer", "effacer", "langue", "retour", "aide", "appel", "stop", "arret",
])
def test_find_never_settles_on_a_commune_from_everyday_words(
    gazetteer: Gazetteer, text: str,
) -> None:
    assert gazetteer.find(text).kind != "found"


@pytest.mark.parametrize("answer, insee", [
    ("93200", SAINT_DENIS_93),
    ("93", SAINT_DENIS_93),
    ("c'est le 93", SAINT_DENIS_93),
    ("Seine-Saint-Denis", SAINT_DENIS_93),
    ("93000", SAINT_DENIS_93),  # a neighbour's postcode still tells the département
    ("974", SAINT_DENIS_974),
    ("97400", SAINT_DENIS_974),
    ("La Réunion", SAINT_DENIS_974),
    ("à la reunion", SAINT_DENIS_974),
    ("11310", "11339"),
    ("Aude", "11339"),
])
def test_settle_a_homonym_with_a_postcode_or_a_departement(
    gazetteer: Gazetteer, answer: str, insee: str,
) -> None:
    candidates = gazetteer.find("Saint-Denis").communes
    match = gazetteer.settle(candidates, answer)
    assert (match.kind, codes(match)) == ("found", [insee])


@pytest.mark.parametrize("answer", ["", "75001", "2A", "Sarcelles", "je sais pas", "oui", "😀"])
def test_settle_with_nothing_that_fits_is_unknown(gazetteer: Gazetteer, answer: str) -> None:
    candidates = gazetteer.find("Saint-Denis").communes
    assert gazetteer.settle(candidates, answer) == Match("unknown", ())


def test_settle_with_a_name_among_different_names(gazetteer: Gazetteer) -> None:
    candidates = gazetteer.find("evry").communes
    assert codes(gazetteer.settle(candidates, "courcouronnes")) == ["91228"]
    assert gazetteer.settle(candidates, "Évry-Courcouronnes").kind == "found"
    assert gazetteer.settle(candidates, "89140").kind == "found"


def test_settle_keeps_several_when_the_answer_fits_several(gazetteer: Gazetteer) -> None:
    candidates = gazetteer.find("51300").communes
    assert codes(gazetteer.settle(candidates, "vitry le francois")) == ["51649"]
    narrowed = gazetteer.settle(candidates, "marne")
    assert narrowed.kind == "ambiguous" and len(narrowed.communes) == len(candidates)
    assert gazetteer.settle(candidates, "nord") == Match("unknown", ())


def test_settle_a_city_by_the_postcode_of_one_of_its_arrondissements(gazetteer: Gazetteer) -> None:
    paris = gazetteer.by_insee(PARIS)
    lyon = gazetteer.by_insee(LYON)
    match = gazetteer.settle([paris, lyon], "75011")
    assert codes(match) == [PARIS]


def test_settle_with_no_candidates_is_unknown(gazetteer: Gazetteer) -> None:
    assert gazetteer.settle([], "93200") == Match("unknown", ())


@pytest.mark.parametrize("insee, label", [
    (SARCELLES, "Sarcelles (95200)"),
    ("31555", "Toulouse (31000)"),  # several postcodes: the first
    (SAINT_DENIS_93, "Saint-Denis (93200)"),
    (PARIS, "Paris (75)"),
    (MARSEILLE, "Marseille (13)"),
    (LYON, "Lyon (69)"),
    ("75116", "Paris 16e Arrondissement (75016)"),
    ("76351", "Le Havre (76600)"),
    ("95313", "L'Isle-Adam (95290)"),
])
def test_label_is_the_name_and_first_postcode(
    gazetteer: Gazetteer, insee: str, label: str,
) -> None:
    assert gazetteer.by_insee(insee).label == label


@pytest.mark.parametrize("insee, name", [
    (SARCELLES, "Sarcelles"),
    ("2A004", "Ajaccio"),
    ("2a004", "Ajaccio"),
    (" 95585 ", "Sarcelles"),
])
def test_by_insee(gazetteer: Gazetteer, insee: str, name: str) -> None:
    assert gazetteer.by_insee(insee).name == name


@pytest.mark.parametrize("insee", ["", "00000", "ABCDE", "Sarcelles"])
def test_by_insee_unknown_code(gazetteer: Gazetteer, insee: str) -> None:
    assert gazetteer.by_insee(insee) is None


def test_a_commune_carries_its_reference_data(gazetteer: Gazetteer) -> None:
    sarcelles = gazetteer.by_insee(SARCELLES)
    assert sarcelles.postcodes == ("95200",)
    assert (sarcelles.departement, sarcelles.departement_name) == ("95", "Val-d'Oise")
    assert sarcelles.epci_siren == "200055655"
    assert sarcelles.population > 50_000
    assert sarcelles.parent_insee == ""


def test_an_arrondissement_points_to_its_city_and_inherits_its_departement(
    gazetteer: Gazetteer,
) -> None:
    paris_11 = gazetteer.by_insee("75111")
    assert paris_11.parent_insee == PARIS
    assert (paris_11.departement, paris_11.departement_name) == ("75", "Paris")
    assert paris_11.epci_siren == gazetteer.by_insee(PARIS).epci_siren


def test_default_gazetteer_is_loaded_once() -> None:
    assert default_gazetteer() is default_gazetteer()


def test_the_shipped_data_has_every_commune_once() -> None:
    with open(DATA_PATH, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 34_000
    assert len({row["insee"] for row in rows}) == len(rows)
    assert sum(1 for row in rows if row["parent_insee"]) == 45  # 20 + 9 + 16 arrondissements


def test_from_csv_reads_columns_by_name(tmp_path: Path) -> None:
    path = tmp_path / "communes.csv"
    path.write_text(
        "name,insee,postcodes,population,departement,departement_name,epci_siren,epci_name,parent_insee\n"
        "Bourg-Neuf,99001,99100 99110,,99,Test,1,EPCI,\n"
        "Le Bourg,99002,99200,1200,98,Autre,2,EPCI 2,\n",
        encoding="utf-8",
    )
    gazetteer = Gazetteer.from_csv(path)
    bourg_neuf = gazetteer.by_insee("99001")
    assert bourg_neuf.name == "Bourg-Neuf"
    assert (bourg_neuf.postcodes, bourg_neuf.population) == (("99100", "99110"), 0)
    assert codes(gazetteer.find("99110")) == ["99001"]
    assert codes(gazetteer.find("bourg")) == ["99002"]
