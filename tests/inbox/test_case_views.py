"""The case list and the case page through the Flask client: guards, actions, escaping."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import Case, Message, Team
from tests.inbox.cases.helpers import make_case, outbox_count
from tests.inbox.conftest import csrf_token, make_app, seed_accounts

ATTACK = "<script>alert(1)</script> <img src=x onerror=alert(1)>"
ROUTES = ["/demandes", "/demandes/lignes", "/demandes/{mine}"]
POSTS = ["reponse", "note", "statut", "attribution", "transfert", "rappel", "orientation", "robot"]


class RecordingJobs:
    """Stands for the job queue: remembers what it was asked to deliver."""

    def __init__(self) -> None:
        self.delivered: list[list[int]] = []

    def enqueue_delivery(self, ids) -> None:  # noqa: ANN001
        self.delivered.append(list(ids))


@pytest.fixture
def jobs() -> RecordingJobs:
    return RecordingJobs()


@pytest.fixture
def app(db_url, session_factory, jobs):
    seed_accounts(session_factory)
    return make_app(db_url, JOBS=jobs)


@pytest.fixture
def cases(session_factory) -> dict[str, int]:
    """A case of the coordinator's team (by SMS, with a hostile message) and one of another team."""
    with session_factory.begin() as session:
        ours = session.scalar(select(Team).where(Team.name == "Équipe Sarcelles"))
        theirs = Team(name="Équipe Cergy")
        session.add(theirs)
        session.flush()
        mine = make_case(session, ours.id, address="+33639981234", channel="sms",
                         first_name="Nadia", messages=(ATTACK, "مرحبا، أحتاج مساعدة"),
                         difficulties=["cost"], commune_name="Sarcelles", unread=True)
        other = make_case(session, theirs.id, address="+33639980000", channel="sms",
                          messages=("Bonjour",))
        return {"mine": mine.id, "other": other.id}


@pytest.mark.parametrize("path", ROUTES)
def test_every_page_refuses_an_anonymous_visitor(client, cases, path):
    response = client.get(path.format(**cases))
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_the_rows_partial_tells_htmx_to_sign_in_again(client, cases):
    response = client.get("/demandes/lignes", headers={"HX-Request": "true"})
    assert response.status_code == 401 and "/connexion" in response.headers["HX-Redirect"]


@pytest.mark.parametrize("action", POSTS)
def test_every_action_refuses_an_anonymous_visitor(client, cases, action):
    response = client.post(f"/demandes/{cases['mine']}/{action}",
                           data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_the_list_shows_the_case_as_unread_and_polls_its_rows(client, auth, cases):
    auth.login()
    html = client.get("/demandes").get_data(as_text=True)
    assert "Non lue" in html and "Sarcelles" in html and "Trop cher" in html
    assert f'<a href="/demandes/{cases["mine"]}">' in html  # the case's page
    assert 'hx-get="/demandes/lignes"' in html and 'hx-trigger="every 10s"' in html
    rows = client.get("/demandes/lignes?qui=personne").get_data(as_text=True)
    assert rows.lstrip().startswith("<tbody") and "qui=personne" in rows


def test_the_list_filters_and_pages(client, auth, cases, session_factory):
    with session_factory.begin() as session:
        team = session.scalar(select(Team).where(Team.name == "Équipe Sarcelles"))
        for _ in range(55):
            make_case(session, team.id)
    auth.login()
    html = client.get("/demandes").get_data(as_text=True)
    assert "Suivantes" in html and "apres=" in html
    assert client.get("/demandes?q=Nadia").get_data(as_text=True).count('class="case-row') == 1
    assert "Valeur inconnue" in client.get("/demandes?statut=inconnu").get_data(as_text=True)
    assert "plus valable" in client.get("/demandes?apres=nimporte").get_data(as_text=True)


def test_another_teams_case_is_not_found(client, auth, cases):
    auth.login()
    assert client.get(f"/demandes/{cases['other']}").status_code == 404
    token = csrf_token(client, "/demandes")
    for action in POSTS:
        response = client.post(f"/demandes/{cases['other']}/{action}",
                               data={"csrf_token": token, "text": "x", "body": "x"})
        assert response.status_code == 404, action


def test_a_form_without_its_csrf_token_is_refused(client, auth, cases, session_factory):
    auth.login()
    response = client.post(f"/demandes/{cases['mine']}/reponse", data={"text": "Bonjour"})
    assert response.status_code == 400
    with session_factory() as session:
        assert outbox_count(session) == 0


def test_opening_the_case_marks_it_read(client, auth, cases, session_factory):
    auth.login()
    assert client.get(f"/demandes/{cases['mine']}").status_code == 200
    with session_factory() as session:
        assert session.get(Case, cases["mine"]).unread is False


def test_user_text_is_escaped_and_shown_with_dir_auto(client, auth, cases):
    auth.login()
    html = client.get(f"/demandes/{cases['mine']}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<p class="bubble__body" dir="auto">مرحبا' in html


def test_a_reply_queues_one_message_and_asks_for_its_delivery(client, auth, cases, jobs,
                                                              session_factory):
    auth.login()
    page = f"/demandes/{cases['mine']}"
    token = csrf_token(client, page)
    response = client.post(f"{page}/reponse", data={"csrf_token": token, "text": "Bonjour Nadia"})
    assert response.status_code == 302 and response.headers["Location"].startswith(page)
    with session_factory() as session:
        ids = list(session.scalars(select(Message.id).where(Message.direction == "out")))
    assert len(ids) == 1 and jobs.delivered == [ids]
    html = client.get(page).get_data(as_text=True)
    assert "Réponse envoyée." in html and "Bonjour Nadia" in html and "en attente" in html


def test_closing_without_an_outcome_says_why_in_french(client, auth, cases, session_factory):
    auth.login()
    page = f"/demandes/{cases['mine']}"
    token = csrf_token(client, page)
    html = client.post(f"{page}/statut", data={"csrf_token": token, "status": "closed"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Pour clore la demande, choisissez un résultat" in html
    client.post(f"{page}/statut", data={"csrf_token": token, "status": "closed",
                                        "outcome": "solution_found"})
    with session_factory() as session:
        case = session.get(Case, cases["mine"])
        assert (case.status, case.outcome) == ("closed", "solution_found")


def test_notes_assignment_and_callback(client, auth, cases, session_factory):
    auth.login()
    page = f"/demandes/{cases['mine']}"
    token = csrf_token(client, page)
    client.post(f"{page}/note", data={"csrf_token": token, "body": "Rappeler lundi <b>"})
    client.post(f"{page}/attribution", data={"csrf_token": token, "assignee": "moi"})
    client.post(f"{page}/rappel", data={"csrf_token": token, "day": "2999-01-04"})
    html = client.get(page).get_data(as_text=True)
    assert "Note privée" in html and "Rappeler lundi &lt;b&gt;" in html
    with session_factory() as session:
        case = session.get(Case, cases["mine"])
        assert case.assignee is not None and case.assignee.name == "Camille Martin"
        assert case.callback_at is not None
        assert outbox_count(session) == 0


def test_canned_replies_orientation_transfer_and_hand_back(client, auth, cases, session_factory):
    from storage.models import CannedReply, Solution

    with session_factory.begin() as session:
        team = session.scalar(select(Team).where(Team.name == "Équipe Sarcelles"))
        session.add(CannedReply(title="Bienvenue", body="Bonjour {prénom}, c'est noté.",
                                team_id=team.id))
        session.add(Solution(name="Auto-école sociale", kind="driving_school"))
        session.get(Case, cases["mine"]).wants_human = True
    auth.login()
    page = f"/demandes/{cases['mine']}"
    html = client.get(page).get_data(as_text=True)
    assert 'data-text="Bonjour Nadia, c&#39;est noté."' in html
    assert "A demandé à parler à une personne" in html and "Rendre la main au robot" in html
    token = csrf_token(client, page)
    with session_factory() as session:
        solution_id = session.scalar(select(Solution.id))
        val_d_oise = session.scalar(select(Team.id).where(Team.name == "Équipe Val-d'Oise"))
    client.post(f"{page}/orientation", data={"csrf_token": token, "solution": solution_id})
    client.post(f"{page}/robot", data={"csrf_token": token})
    html = client.post(f"{page}/transfert", data={"csrf_token": token, "team": val_d_oise},
                       follow_redirects=True).get_data(as_text=True)
    assert "Demande transférée." in html and "Rendue au robot" in html
    with session_factory() as session:
        case = session.get(Case, cases["mine"])
        assert (case.status, case.solution_id, case.team_id) == ("oriented", solution_id, val_d_oise)
        assert case.wants_human is False
