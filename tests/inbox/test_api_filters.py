"""GET /api/v1/cases with the list's filters: source, place, category, waiting, APPEL."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from inbox.api.listing import FLAG_FILTERS, TEXT_FILTERS
from storage.models import Team
from tests.inbox.cases.helpers import T0, make_case
from tests.inbox.test_api import app, bearer, check_response, jobs, token  # noqa: F401 - fixtures

ROISSY_PAYS_DE_FRANCE = "200055655"


@pytest.fixture
def cases(session_factory) -> dict[str, str]:
    with session_factory.begin() as session:
        team = session.scalar(select(Team).where(Team.name == "Équipe Sarcelles"))
        made = {
            "sarcelles": make_case(session, team.id, commune_insee="95585", source="alert_giver",
                                   categories=["senior"], wants_human=True, waiting_since=T0),
            "cergy": make_case(session, team.id, commune_insee="95127", source="self",
                               categories=["young_person"]),
            "paris": make_case(session, team.id, commune_insee="75111", source="self"),
        }
        return {name: case.reference for name, case in made.items()}


def references(client, token: str, query: str) -> set[str]:  # noqa: F811
    response = client.get(f"/api/v1/cases?{query}", headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return {case["reference"] for case in response.get_json()["cases"]}


def test_the_api_lists_by_the_inbox_filters(client, cases, token):  # noqa: F811
    assert references(client, token, "source=alert_giver") == {cases["sarcelles"]}
    assert references(client, token, "category=young_person") == {cases["cergy"]}
    assert references(client, token, "departement=95") == {cases["sarcelles"], cases["cergy"]}
    assert references(client, token, f"epci={ROISSY_PAYS_DE_FRANCE}") == {cases["sarcelles"]}
    assert references(client, token, "commune_insee=75056") == {cases["paris"]}
    assert references(client, token, "wants_human=true") == {cases["sarcelles"]}
    assert references(client, token, "waiting=1&source=self") == set()
    assert references(client, token, "wants_human=false") == set(cases.values())
    assert references(client, token, "since=2026-01-01T00:00:00Z&source=self") == \
        {cases["cergy"], cases["paris"]}


@pytest.mark.parametrize("query, words", [
    ("source=pigeon", "Origine"), ("category=rich", "Catégorie"),
    ("departement=9", "Département inconnu"), ("epci=123", "Territoire inconnu"),
    ("commune_insee=%3Cscript%3E", "Territoire inconnu"), ("wants_human=peut-etre", "true ou false"),
])
def test_bad_filters_are_explained_in_json(client, cases, token, query, words):  # noqa: F811
    response = client.get(f"/api/v1/cases?{query}", headers=bearer(token))
    assert response.status_code == 400 and words in response.get_json()["error"]["message"]
    document = client.get("/api/v1/openapi.json").get_json()
    check_response(document, "/cases", "get", response)


def test_every_filter_the_api_reads_is_documented(client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {p["name"] for p in document["paths"]["/cases"]["get"]["parameters"]}
    assert set(TEXT_FILTERS) | set(FLAG_FILTERS) <= documented
