"""The list page's filters by source, place and category, through the Flask client."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from storage.models import Team, TeamTerritory
from tests.inbox.cases.helpers import make_case
from tests.inbox.conftest import make_app, seed_accounts

ROW = re.compile(r'<a href="/demandes/\d+">(RM-\d{4}-\d{5})</a>')


@pytest.fixture
def app(db_url, session_factory):
    seed_accounts(session_factory)
    return make_app(db_url)


@pytest.fixture
def cases(session_factory) -> dict[str, str]:
    """Cases of the coordinator's team in several places, sources and categories."""
    with session_factory.begin() as session:
        team = session.scalar(select(Team).where(Team.name == "Équipe Sarcelles"))
        team.territories = [TeamTerritory(kind="epci", code="200055655"),
                            TeamTerritory(kind="departement", code="95")]
        made = {
            "sarcelles": make_case(session, team.id, commune_insee="95585", commune_name="Sarcelles",
                                   source="alert_giver", categories=["senior"]),
            "garges": make_case(session, team.id, commune_insee="95268",
                                commune_name="Garges-lès-Gonesse", source="self"),
            "cergy": make_case(session, team.id, commune_insee="95127", commune_name="Cergy",
                               source="voice", categories=["young_person"]),
        }
        return {name: case.reference for name, case in made.items()}


def listed(client, query: str) -> set[str]:
    html = client.get(f"/demandes?{query}").get_data(as_text=True)
    return set(ROW.findall(html))


def test_the_list_filters_by_source_category_territory_and_typed_commune(client, auth, cases):
    auth.login()
    assert listed(client, "origine=alert_giver") == {cases["sarcelles"]}
    assert listed(client, "origine=voice") == {cases["cergy"]}
    assert listed(client, "categorie=young_person") == {cases["cergy"]}
    assert listed(client, "territoire=epci:200055655") == {cases["sarcelles"], cases["garges"]}
    assert listed(client, "territoire=departement:95") == set(cases.values())
    assert listed(client, "commune=garges+les+gonesse") == {cases["garges"]}
    assert listed(client, "commune=95200&origine=self") == set()


def test_the_teams_territories_are_offered_by_name(client, auth, cases):
    auth.login()
    html = client.get("/demandes").get_data(as_text=True)
    assert '<optgroup label="Intercommunalité">' in html
    assert ('<option value="epci:200055655">Communauté d&#39;agglomération Roissy Pays de France'
            in html)
    assert '<option value="departement:95">Val-d&#39;Oise (95)</option>' in html
    assert '<option value="voice">' in html and "Précarité énergétique" in html


def test_the_place_filters_fold_away_unless_one_is_used(client, auth, cases):
    auth.login()
    assert '<details class="filters__more">' in client.get("/demandes").get_data(as_text=True)
    html = client.get("/demandes?commune=Sarcelles").get_data(as_text=True)
    assert '<details class="filters__more" open>' in html


@pytest.mark.parametrize("query, reason", [
    ("commune=Saint-Denis", "Plusieurs communes portent ce nom"),
    ("commune=Sarcels", "Vouliez-vous dire"),
    ("commune=%3Cscript%3Ealert(1)%3C/script%3E", "Commune introuvable"),
    ("territoire=quartier:12", "Territoire inconnu"),
    ("territoire=epci:000", "Territoire inconnu"),
    ("origine=%3Cimg%20src=x%20onerror=alert(1)%3E", "Valeur inconnue"),
    ("categorie=rich", "Valeur inconnue"),
])
def test_a_filter_the_list_does_not_know_is_explained_not_crashed(client, auth, cases, query, reason):
    auth.login()
    response = client.get(f"/demandes?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and reason in html
    assert "<script>alert" not in html and "<img src=x" not in html


def test_the_polled_rows_keep_the_filters(client, auth, cases):
    auth.login()
    html = client.get("/demandes?territoire=epci:200055655&origine=self").get_data(as_text=True)
    assert "territoire=epci:200055655" in html and "origine=self" in html
    rows = client.get("/demandes/lignes?territoire=epci:200055655&origine=self").get_data(as_text=True)
    assert set(ROW.findall(rows)) == {cases["garges"]}
