"""The list by place (commune, intercommunalité, département), source and category, and
keyset pages that stay whole under every filter."""
from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import insert

from inbox.cases import CaseError, CaseFilters
from inbox.cases.territories import commune_named, communes_within, territory_label
from storage.models import CASE_CATEGORIES, CASE_SOURCES, Case, User
from tests.inbox.cases.helpers import T0, make_case
from tests.inbox.cases.test_listing import expected_order, listed, walk

SARCELLES, GARGES, CERGY = "95585", "95268", "95127"
ROISSY_PAYS_DE_FRANCE = "200055655"  # Sarcelles and Garges, not Cergy
PARIS, PARIS_11 = "75056", "75111"


def test_a_city_holds_its_arrondissements_and_an_epci_its_communes():
    assert PARIS_11 in communes_within("commune", PARIS)
    assert communes_within("commune", SARCELLES) == (SARCELLES,)
    roissy = communes_within("epci", ROISSY_PAYS_DE_FRANCE)
    assert {SARCELLES, GARGES} <= set(roissy) and CERGY not in roissy
    with pytest.raises(CaseError, match="Territoire inconnu"):
        communes_within("epci", "123")


def test_territories_read_as_their_names():
    assert territory_label("commune", SARCELLES) == "Sarcelles (95585)"
    assert territory_label("epci", ROISSY_PAYS_DE_FRANCE) == \
        "Communauté d'agglomération Roissy Pays de France"
    assert territory_label("departement", "95") == "Val-d'Oise (95)"


def test_a_commune_is_typed_by_name_or_postcode_and_an_ambiguous_one_is_explained():
    assert commune_named("sarcelles").insee == SARCELLES
    assert commune_named("95200").insee == SARCELLES
    with pytest.raises(CaseError, match="Plusieurs communes.*code postal"):
        commune_named("Saint-Denis")
    with pytest.raises(CaseError, match="Vouliez-vous dire"):
        commune_named("Sarcels")
    with pytest.raises(CaseError, match="Commune introuvable"):
        commune_named("<script>")


def test_the_list_by_commune_epci_and_departement(tx, people, teams):
    team = teams["val_d_oise"]
    with tx() as s:
        sarcelles = make_case(s, team, commune_insee=SARCELLES).reference
        garges = make_case(s, team, commune_insee=GARGES).reference
        cergy = make_case(s, team, commune_insee=CERGY).reference
        paris_11 = make_case(s, team, commune_insee=PARIS_11).reference
        make_case(s, team)  # no commune known yet
    assert listed(tx, people.paul, commune_insee=PARIS) == [paris_11]
    assert set(listed(tx, people.paul, epci=ROISSY_PAYS_DE_FRANCE)) == {sarcelles, garges}
    assert set(listed(tx, people.paul, departement="95")) == {sarcelles, garges, cergy}
    assert listed(tx, people.paul, epci=ROISSY_PAYS_DE_FRANCE, commune_insee=GARGES) == [garges]


def test_unknown_places_are_refused_in_french():
    with pytest.raises(CaseError, match="Département inconnu"):
        CaseFilters(departement="9")
    with pytest.raises(CaseError, match="Territoire inconnu"):
        CaseFilters(commune_insee="99999")
    with pytest.raises(CaseError, match="Origine"):
        CaseFilters(source="pigeon")


def test_every_source_can_be_listed_alone(tx, people, teams):
    with tx() as s:
        by_source = {source: make_case(s, teams["sarcelles"], source=source).reference
                     for source in CASE_SOURCES}
    for source, reference in by_source.items():
        assert listed(tx, people.marie, source=source) == [reference]


# --- keyset pages under every filter ----------------------------------------------------

def seed_varied(tx, teams: dict[str, int], count: int = 1500) -> None:
    """Cases spread over sources, communes, categories and waits, with many ties."""
    rng = random.Random(7)
    communes = [SARCELLES, GARGES, CERGY, PARIS_11, None]
    rows = []
    for n in range(count):
        rows.append({
            "reference": f"RM-2026-{n + 1:05d}", "source": rng.choice(CASE_SOURCES),
            "channel": "sms", "status": rng.choice(["new", "in_progress", "closed"]),
            "team_id": rng.choice([teams["sarcelles"], teams["val_d_oise"]]),
            "created_at": T0 - rng.randrange(15) * timedelta(hours=1), "updated_at": T0,
            "waiting_since": None if rng.random() < 0.4 else T0 - rng.randrange(9) * timedelta(hours=1),
            "commune_insee": rng.choice(communes), "wants_human": rng.random() < 0.1,
            "categories": rng.sample(CASE_CATEGORIES, rng.randrange(3)),
            "difficulties": [], "purposes": [], "contact_moments": [], "unread": False,
        })
    with tx() as s:
        s.execute(insert(Case), rows)


def matches(case: Case, filters: CaseFilters) -> bool:
    """The filters, checked in Python on a loaded case."""
    place = {SARCELLES: "95", GARGES: "95", CERGY: "95", PARIS_11: "75"}.get(case.commune_insee or "")
    return ((not filters.source or case.source == filters.source)
            and (not filters.category or filters.category in case.categories)
            and (not filters.departement or place == filters.departement)
            and (not filters.epci or case.commune_insee in (SARCELLES, GARGES))
            and (not filters.commune_insee or case.commune_insee == filters.commune_insee)
            and (not filters.wants_human or case.wants_human))


@pytest.mark.parametrize("filters, limit", [
    (CaseFilters(source="alert_giver"), 20),
    (CaseFilters(category="senior"), 25),
    (CaseFilters(departement="95"), 50),
    (CaseFilters(epci=ROISSY_PAYS_DE_FRANCE, wants_human=False), 33),
    (CaseFilters(commune_insee=SARCELLES, source="self"), 7),
    (CaseFilters(wants_human=True, category="disability"), 3),
])
def test_pages_stay_whole_under_every_filter(tx, people, teams, filters, limit):
    seed_varied(tx, teams)
    with tx() as s:
        from inbox.cases import visible_cases
        visible = [c for c in s.scalars(visible_cases(s.get(User, people.sam))) if matches(c, filters)]
        expected = expected_order(visible)
    assert expected, "the seed must give this filter something to list"
    ids, pages = walk(tx, people.sam, filters, limit)
    assert ids == expected
    assert pages == -(-len(expected) // limit)
