"""APPEL in the inbox: the person's case is flagged, every page's header counts the people
waiting to talk to someone, and the flag clears once a coordinator answers or hands back."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from bot.simulator import SimulatedPhone
from storage.models import Case, Team
from tests.inbox.cases.helpers import make_case
from tests.inbox.conftest import csrf_token, make_app, seed_accounts

NOTICE = "veut parler à quelqu'un de l'équipe"


class NoJobs:
    def enqueue_delivery(self, ids) -> None:  # noqa: ANN001 - outbox ids, delivered elsewhere
        pass


@pytest.fixture
def app(db_url, session_factory):
    seed_accounts(session_factory)
    with session_factory.begin() as session:  # cases nobody's territory covers land here
        session.execute(update(Team).where(Team.name == "Équipe Sarcelles").values(is_default=True))
    return make_app(db_url, JOBS=NoJobs())


def team_id(session_factory, name: str) -> int:
    with session_factory() as session:
        return session.scalar(select(Team.id).where(Team.name == name))


def person_asks_for_someone(app) -> int:
    """A resident texts APPEL; returns the id of the case it flags."""
    SimulatedPhone(app.extensions["runtime"], "sms").send("APPEL")
    with app.extensions["session_factory"]() as session:
        return session.scalar(select(Case.id).order_by(Case.id.desc()))


def test_appel_flags_the_case_and_every_page_says_how_many_wait(app, client, auth, session_factory):
    case_id = person_asks_for_someone(app)
    with session_factory() as session:
        assert session.get(Case, case_id).wants_human is True
    auth.login()
    for path in ("/demandes", f"/demandes/{case_id}", "/simulateur"):
        html = client.get(path).get_data(as_text=True)
        assert '<div class="calls" aria-live="polite" aria-atomic="true">' in html, path
        assert f"1 personne {NOTICE}" in html, path
        assert 'href="/demandes?appel=oui"' in html, path
    rows = client.get("/demandes?appel=oui").get_data(as_text=True)
    assert rows.count('class="case-row') == 1 and "case-row--human" in rows


def test_only_open_cases_of_the_coordinators_teams_are_counted(client, auth, session_factory):
    with session_factory.begin() as session:
        ours = team_id(session_factory, "Équipe Val-d'Oise")
        other = Team(name="Équipe Cergy")
        session.add(other)
        session.flush()
        make_case(session, ours, wants_human=True)
        make_case(session, ours, wants_human=True)
        make_case(session, ours, wants_human=True, status="closed")
        make_case(session, other.id, wants_human=True)
        make_case(session, ours)
    auth.login()
    assert "2 personnes veulent parler à quelqu'un de l'équipe" in \
        client.get("/demandes").get_data(as_text=True)


def test_the_poll_answers_204_while_the_count_is_unchanged(app, client, auth, session_factory):
    auth.login()
    assert NOTICE not in client.get("/demandes").get_data(as_text=True)
    assert client.get("/demandes/appels?vu=0").status_code == 204
    person_asks_for_someone(app)
    response = client.get("/demandes/appels?vu=0")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f"1 personne {NOTICE}" in html
    assert 'hx-get="/demandes/appels?vu=1"' in html and 'hx-trigger="every 15s"' in html
    assert client.get("/demandes/appels?vu=1").status_code == 204


def test_the_poll_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get("/demandes/appels?vu=0", headers={"HX-Request": "true"})
    assert response.status_code == 401 and "/connexion" in response.headers["HX-Redirect"]


@pytest.mark.parametrize("action, form", [
    ("reponse", {"text": "Bonjour, ici Camille de l'équipe mobilité."}),
    ("robot", {}),
])
def test_the_flag_clears_when_a_coordinator_answers_or_hands_back(app, client, auth, session_factory,
                                                                   action, form):
    case_id = person_asks_for_someone(app)
    auth.login()
    page = f"/demandes/{case_id}"
    client.post(f"{page}/{action}", data={"csrf_token": csrf_token(client, page), **form})
    with session_factory() as session:
        assert session.get(Case, case_id).wants_human is False
    assert NOTICE not in client.get("/demandes").get_data(as_text=True)
    assert client.get("/demandes/appels?vu=1").status_code == 200  # the count went to 0
