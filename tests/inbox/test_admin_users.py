"""Accounts managed by the admins: create, close, reopen, new password, teams."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from storage.models import User
from tests.inbox.admin_support import ids, journal, page, post, rows
from tests.inbox.conftest import ADMIN, COORDINATOR, AuthActions
from tests.support.accounts import PASSWORD

SHOWN_PASSWORD = re.compile(r'<p class="password-once"><code>([^<]+)</code></p>')


def account(session_factory, email: str) -> User | None:
    with session_factory() as session:
        user = session.scalar(select(User).where(User.email == email))
        if user is not None:
            user.team_names = sorted(team.name for team in user.teams)
        return user


def test_the_list_shows_each_account_with_its_role_teams_and_state(client, auth):
    auth.login(ADMIN)
    html = page(client, "/admin/comptes")
    assert "3 comptes" in html
    assert rows(html) == [
        ["Alex Admin", "alex@example.fr", "Admin", "Aucune équipe", "Ouvert"],
        ["Camille Martin", "camille@example.fr", "Coordinateur·rice",
         "Équipe Sarcelles, Équipe Val-d'Oise", "Ouvert"],
        ["Ancien Compte", "ancien@example.fr", "Coordinateur·rice", "Aucune équipe", "Fermé"],
    ]


def test_an_admin_creates_an_account_whose_password_is_shown_once(client, auth, session_factory):
    team = ids(session_factory)["sarcelles"]
    auth.login(ADMIN)  # an admin of no team is offered every team
    form = page(client, "/admin/comptes/nouveau")
    assert f'name="teams" value="{team}"' in form and "Équipe Val-d&#39;Oise</label>" in form
    response = post(client, "/admin/comptes/nouveau", email=" Lou@Example.fr ", name="Lou Petit",
                    role="coordinator", teams=[str(team)])
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Compte créé" in html and "Il ne sera plus affiché" in html
    password = SHOWN_PASSWORD.search(html).group(1)
    created = account(session_factory, "lou@example.fr")
    assert (created.name, created.role, created.team_names) == ("Lou Petit", "coordinator",
                                                                ["Équipe Sarcelles"])
    assert password not in page(client, f"/admin/comptes/{created.id}")
    assert password not in page(client, "/admin/journal")
    assert (("user_created", ids(session_factory)["admin"], f"user:{created.id}")
            in journal(session_factory))
    auth.logout()
    assert auth.login("lou@example.fr", password).status_code == 303


def test_an_admin_may_choose_the_password_and_it_is_not_shown(client, auth, session_factory):
    auth.login(ADMIN)
    html = post(client, "/admin/comptes/nouveau", email="sam@example.fr", name="Sam",
                role="admin", password="un secret assez long").get_data(as_text=True)
    assert "Le mot de passe que vous avez choisi" in html and "un secret assez long" not in html
    assert account(session_factory, "sam@example.fr").role == "admin"
    auth.logout()
    assert auth.login("sam@example.fr", "un secret assez long").status_code == 303


@pytest.mark.parametrize("form, message", [
    ({"email": COORDINATOR, "name": "Double", "role": "coordinator"}, "Un compte existe déjà pour"),
    ({"email": "pas-une-adresse", "name": "N", "role": "coordinator"}, "n&#39;est pas une adresse"),
    ({"email": "n@example.fr", "name": " ", "role": "coordinator"}, "Donnez un nom"),
    ({"email": "n@example.fr", "name": "N", "role": "chef"}, "Choisissez un rôle"),
    ({"email": "n@example.fr", "name": "N", "role": "admin", "password": "court"},
     "au moins 10 caractères"),
    ({"email": "n@example.fr", "name": "N", "role": "admin", "teams": "999999"},
     "Une des équipes choisies n&#39;existe pas."),
])
def test_a_wrong_account_form_is_refused_with_a_clear_message(client, auth, session_factory,
                                                              form, message):
    auth.login(ADMIN)
    response = post(client, "/admin/comptes/nouveau", **form)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert account(session_factory, "n@example.fr") is None and journal(session_factory) == []


def test_closing_an_account_signs_the_person_out_and_reopening_gives_a_new_password(
        app, client, auth, session_factory):
    coordinator = ids(session_factory)["coordinator"]
    other = app.test_client()
    AuthActions(other).login()
    assert other.get("/demandes").status_code == 200
    auth.login(ADMIN)
    html = post(client, f"/admin/comptes/{coordinator}/fermer", follow=True).get_data(as_text=True)
    assert "Compte fermé" in html and "Rouvrir le compte" in html
    assert other.get("/demandes").status_code == 302  # signed out at once
    assert "Ce compte est fermé" in AuthActions(other).login().get_data(as_text=True)
    html = post(client, f"/admin/comptes/{coordinator}/rouvrir").get_data(as_text=True)
    assert "Compte rouvert" in html
    password = SHOWN_PASSWORD.search(html).group(1)
    assert other.get("/demandes").status_code == 302  # the session from before stays closed
    assert AuthActions(other).login(COORDINATOR, PASSWORD).status_code == 200
    assert AuthActions(other).login(COORDINATOR, password).status_code == 303
    assert [a for a, _, _ in journal(session_factory)] == ["user_deactivated", "user_reactivated"]


def test_an_admin_cannot_close_their_own_account(client, auth, session_factory):
    admin = ids(session_factory)["admin"]
    auth.login(ADMIN)
    assert "Fermer le compte" not in page(client, f"/admin/comptes/{admin}")
    html = post(client, f"/admin/comptes/{admin}/fermer", follow=True).get_data(as_text=True)
    assert "Vous ne pouvez pas fermer votre propre compte." in html
    assert account(session_factory, ADMIN).active and journal(session_factory) == []


def test_a_new_password_replaces_the_old_one(client, auth, session_factory):
    coordinator = ids(session_factory)["coordinator"]
    auth.login(ADMIN)
    html = post(client, f"/admin/comptes/{coordinator}/mot-de-passe").get_data(as_text=True)
    assert "Nouveau mot de passe" in html
    password = SHOWN_PASSWORD.search(html).group(1)
    short = post(client, f"/admin/comptes/{coordinator}/mot-de-passe", password="court")
    assert short.status_code == 422 and "au moins 10 caractères" in short.get_data(as_text=True)
    auth.logout()
    assert auth.login(COORDINATOR, PASSWORD).status_code == 200  # the old one no longer works
    assert auth.login(COORDINATOR, password).status_code == 303
    assert [a for a, _, _ in journal(session_factory)] == ["password_reset"]


def test_an_admin_changes_the_teams_of_an_account(client, auth, session_factory):
    known = ids(session_factory)
    auth.login(ADMIN)
    html = post(client, f"/admin/comptes/{known['coordinator']}/equipes", follow=True,
                teams=[str(known["val_d_oise"])]).get_data(as_text=True)
    assert "Équipes enregistrées." in html
    assert account(session_factory, COORDINATOR).team_names == ["Équipe Val-d'Oise"]
    post(client, f"/admin/comptes/{known['coordinator']}/equipes")
    assert account(session_factory, COORDINATOR).team_names == []
    assert client.get("/admin/comptes/999999").status_code == 404
