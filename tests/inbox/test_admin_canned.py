"""Canned replies managed by the admins: list, add with a preview, edit, delete or archive."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import CannedReply, Team
from tests.inbox.admin_support import ids, journal, page, post
from tests.inbox.cases.helpers import make_case
from tests.inbox.conftest import ADMIN, csrf_token, make_app, seed_accounts

NEW = "/admin/reponses-types/nouvelle"


class RecordingJobs:
    """Stands for the job queue of the case page's reply."""

    def __init__(self) -> None:
        self.delivered: list[list[int]] = []

    def enqueue_delivery(self, ids) -> None:  # noqa: ANN001
        self.delivered.append(list(ids))


@pytest.fixture
def app(db_url, session_factory):
    seed_accounts(session_factory)
    return make_app(db_url, JOBS=RecordingJobs())


@pytest.fixture
def case_id(session_factory) -> int:
    """A case of the coordinator's team, from Nadia, by SMS."""
    with session_factory.begin() as session:
        team = session.scalar(select(Team.id).where(Team.name == "Équipe Sarcelles"))
        return make_case(session, team, address="+33639981234", channel="sms",
                         first_name="Nadia", messages=("Bonjour",)).id


def canned_rows(session_factory) -> list[tuple[str, str, int | None, bool]]:
    with session_factory() as session:
        return [(c.title, c.body, c.team_id, c.archived_at is not None)
                for c in session.scalars(select(CannedReply).order_by(CannedReply.id))]


def test_an_admin_adds_a_reply_for_every_team_and_it_is_written_in_the_journal(
        client, auth, session_factory):
    auth.login(ADMIN)
    response = post(client, NEW, follow=True, title="  Bienvenue ",
                    body="Bonjour {prenom}, votre demande {reference} est bien reçue.", team="")
    html = response.get_data(as_text=True)
    assert "Réponse type « Bienvenue » ajoutée." in html
    assert "Bonjour {prenom}, votre demande {reference} est bien reçue." in html
    assert "Toutes les équipes" in html and "Jamais envoyée" in html
    assert canned_rows(session_factory) == [
        ("Bienvenue", "Bonjour {prenom}, votre demande {reference} est bien reçue.", None, False)]
    admin = ids(session_factory)["admin"]
    assert [(action, actor) for action, actor, _ in journal(session_factory)] == [
        ("canned_created", admin)]
    assert "Réponse type créée : Bienvenue" in page(client, "/admin/journal")


def test_the_preview_fills_the_placeholders_without_saving(client, auth, session_factory):
    auth.login(ADMIN)
    html = post(client, NEW, title="Accueil", body="Bonjour {prénom}, demande {reference}.",
                apercu="oui").get_data(as_text=True)
    assert "Bonjour Nadia, demande RM-2026-00042." in html
    assert 'value="Accueil"' in html  # what was typed stays in the form
    partial = post(client, "/admin/reponses-types/apercu", body="Merci {prenom} !")
    assert partial.status_code == 200 and "Merci Nadia !" in partial.get_data(as_text=True)
    assert canned_rows(session_factory) == []


@pytest.mark.parametrize("body, message", [
    ("Bonjour {nom}",
     "Repère inconnu : {nom}. Les repères possibles sont {prenom} et {reference}."),
    ("Bonjour {prenom", "Une accolade est seule."),
    ("Bonjour { prenom }", "Une accolade est seule."),
    ("   ", "Le texte doit faire de 1 à 1600 caractères."),
])
def test_a_wrong_placeholder_is_refused_with_a_clear_message(client, auth, session_factory,
                                                              body, message):
    auth.login(ADMIN)
    response = post(client, NEW, title="Accueil", body=body)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    preview = post(client, NEW, title="Accueil", body=body, apercu="oui").get_data(as_text=True)
    assert message in preview or not body.strip()
    assert canned_rows(session_factory) == [] and journal(session_factory) == []


def test_an_admin_edits_a_reply_and_gives_it_to_one_team(client, auth, session_factory):
    team = ids(session_factory)["sarcelles"]
    with session_factory.begin() as session:
        canned = CannedReply(title="Accueil", body="Bonjour")
        session.add(canned)
        session.flush()
        canned_id = canned.id
    auth.login(ADMIN)
    form = page(client, f"/admin/reponses-types/{canned_id}")
    assert 'value="Accueil"' in form and f'<option value="{team}">Équipe Sarcelles</option>' in form
    response = post(client, f"/admin/reponses-types/{canned_id}", title="Accueil Sarcelles",
                    body="Bonjour {prenom} <b>!</b>", team=str(team))
    assert response.status_code == 303
    assert canned_rows(session_factory) == [("Accueil Sarcelles", "Bonjour {prenom} <b>!</b>",
                                             team, False)]
    html = page(client, "/admin/reponses-types")
    assert "Bonjour {prenom} &lt;b&gt;!&lt;/b&gt;" in html and "<b>!</b>" not in html
    refused = post(client, f"/admin/reponses-types/{canned_id}", title="", body="Bonjour")
    assert refused.status_code == 422 and "Donnez un titre" in refused.get_data(as_text=True)


def test_a_reply_never_sent_is_deleted(client, auth, session_factory):
    with session_factory.begin() as session:
        session.add(CannedReply(title="Accueil", body="Bonjour"))
    auth.login(ADMIN)
    canned_id = ids_of_canned(session_factory)[0]
    html = post(client, f"/admin/reponses-types/{canned_id}/supprimer", follow=True).get_data(
        as_text=True)
    assert "Réponse type supprimée." in html
    assert canned_rows(session_factory) == []
    assert [action for action, _, _ in journal(session_factory)] == ["canned_deleted"]


def test_a_reply_already_sent_is_archived_and_no_longer_offered(client, auth, session_factory,
                                                                 case_id):
    with session_factory.begin() as session:
        session.add(CannedReply(title="Accueil", body="Bonjour {prenom}, c'est noté."))
    canned_id = ids_of_canned(session_factory)[0]
    auth.login()  # the coordinator answers Nadia from the canned reply
    case_page = f"/demandes/{case_id}"
    assert 'data-text="Bonjour Nadia, c&#39;est noté."' in page(client, case_page)
    client.post(f"{case_page}/reponse", data={"csrf_token": csrf_token(client, case_page),
                                              "canned_reply": canned_id,
                                              "text": "Bonjour Nadia, c'est noté."})
    with session_factory() as session:
        assert session.get(CannedReply, canned_id).last_used_at is not None
    auth.logout()
    auth.login(ADMIN)
    html = post(client, f"/admin/reponses-types/{canned_id}/supprimer", follow=True).get_data(
        as_text=True)
    assert "Réponse type archivée : elle a déjà servi" in html and "Archivée le" in html
    assert canned_rows(session_factory) == [
        ("Accueil", "Bonjour {prenom}, c'est noté.", None, True)]
    assert client.get(f"/admin/reponses-types/{canned_id}").status_code == 404
    assert "Réponse toute prête" not in page(client, case_page)


def ids_of_canned(session_factory) -> list[int]:
    with session_factory() as session:
        return list(session.scalars(select(CannedReply.id).order_by(CannedReply.id)))
