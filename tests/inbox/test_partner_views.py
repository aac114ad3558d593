"""/partenaires: coordinators read the partner network, admins manage it."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.settings import Settings
from storage.models import InviteCode, Organisation
from tests.inbox.conftest import ADMIN, AuthActions, csrf_token, make_app, seed_accounts

BOT = "RelaisMobiliteBot"
ORGANISATION = {"name": "CCAS de Sarcelles", "kind": "ccas", "territory_kind": "commune",
                "territory_code": "95585", "contact_name": "Nadia Benali",
                "contact_email": "nadia@ccas-sarcelles.fr", "contact_phone": "01 34 56 78 90"}


@pytest.fixture
def app(db_url, session_factory):
    seed_accounts(session_factory)
    return make_app(db_url, SETTINGS=Settings(telegram_bot_username=BOT, sms_sender="38100"))


def post(client, path, data, page="/partenaires"):
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


def create(client, **fields):
    return post(client, "/partenaires/nouvelle", {**ORGANISATION, **fields})


def organisation_id(session_factory) -> int:
    with session_factory() as session:
        return session.scalars(select(Organisation.id)).one()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in ("/partenaires", "/partenaires/nouvelle", "/partenaires/1"):
        response = client.get(path)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_a_coordinator_reads_but_cannot_manage(client, auth, session_factory):
    auth.login(ADMIN)
    create(client)
    auth.logout()
    auth.login()
    page = client.get("/partenaires").get_data(as_text=True)
    assert "CCAS de Sarcelles" in page and "Ajouter une organisation" not in page
    assert client.get("/partenaires/nouvelle").status_code == 403
    number = organisation_id(session_factory)
    show = client.get(f"/partenaires/{number}").get_data(as_text=True)
    assert "Nadia Benali" in show and "Créer un code" not in show
    token = csrf_token(client, "/partenaires")
    for path in ("/partenaires/nouvelle", f"/partenaires/{number}/modifier",
                 f"/partenaires/{number}/codes"):
        assert client.post(path, data={"csrf_token": token, **ORGANISATION}).status_code == 403


def test_the_menu_shows_the_partners_to_everyone_signed_in(client, auth):
    auth.login()
    assert 'href="/partenaires"' in client.get("/demandes").get_data(as_text=True)


def test_an_admin_creates_and_edits_an_organisation(client, auth, session_factory):
    auth.login(ADMIN)
    response = create(client)
    assert response.status_code == 303
    number = organisation_id(session_factory)
    assert response.headers["Location"].endswith(f"/partenaires/{number}")
    page = client.get(f"/partenaires/{number}").get_data(as_text=True)
    assert "CCAS ou CIAS" in page and "Commune 95585" in page and "01 34 56 78 90" in page

    edited = post(client, f"/partenaires/{number}/modifier", {**ORGANISATION, "kind": "caf"})
    assert edited.status_code == 303
    with session_factory() as session:
        assert session.get(Organisation, number).kind == "caf"


def test_a_wrong_form_comes_back_with_the_reason_and_what_was_typed(client, auth, session_factory):
    auth.login(ADMIN)
    response = create(client, name="<b>Asso</b>", contact_email="pas-un-mail")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "L&#39;adresse e-mail du contact ne semble pas complète." in page
    assert "&lt;b&gt;Asso&lt;/b&gt;" in page and "<b>Asso</b>" not in page
    with session_factory() as session:
        assert session.scalars(select(Organisation)).all() == []


def test_forms_without_their_csrf_token_are_refused(client, auth, session_factory):
    auth.login(ADMIN)
    assert client.post("/partenaires/nouvelle", data=ORGANISATION).status_code == 400
    with session_factory() as session:
        assert session.scalars(select(Organisation)).all() == []


def test_an_invite_code_has_its_link_sms_keyword_qr_code_and_poster(client, auth, session_factory):
    auth.login(ADMIN)
    create(client)
    number = organisation_id(session_factory)
    response = post(client, f"/partenaires/{number}/codes",
                    {"kind": "alert_giver", "expires_on": "2099-01-01"}, f"/partenaires/{number}")
    assert response.status_code == 422  # more than 3 years
    response = post(client, f"/partenaires/{number}/codes",
                    {"kind": "alert_giver", "expires_on": ""}, f"/partenaires/{number}")
    assert response.status_code == 303
    with session_factory() as session:
        invite = session.scalars(select(InviteCode)).one()
    page = client.get(f"/partenaires/{number}").get_data(as_text=True)
    assert f'value="https://t.me/{BOT}?start={invite.code}"' in page
    assert f"<strong>PARTENAIRE {invite.code}</strong> au 38100" in page
    assert "Actif, sans date de fin" in page

    qr = client.get(f"/partenaires/{number}/codes/{invite.id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert b"<svg" in qr.data
    poster = client.get(f"/partenaires/{number}/codes/{invite.id}/affiche").get_data(as_text=True)
    assert f"https://t.me/{BOT}?start={invite.code}" in poster and f"PARTENAIRE {invite.code}" in poster


def test_a_revoked_code_shows_no_way_in_any_more(client, auth, session_factory):
    auth.login(ADMIN)
    create(client)
    number = organisation_id(session_factory)
    post(client, f"/partenaires/{number}/codes", {"kind": "ambassador", "expires_on": ""},
         f"/partenaires/{number}")
    with session_factory() as session:
        invite = session.scalars(select(InviteCode)).one()
    response = post(client, f"/partenaires/{number}/codes/{invite.id}/revoquer", {},
                    f"/partenaires/{number}")
    assert response.status_code == 303
    page = client.get(f"/partenaires/{number}").get_data(as_text=True)
    assert "Révoqué" in page and f"start={invite.code}" not in page
    with session_factory() as session:
        assert session.get(InviteCode, invite.id).revoked_at is not None


def test_a_code_is_only_reached_through_its_own_organisation(client, auth, session_factory):
    auth.login(ADMIN)
    create(client)
    create(client, name="Mission locale")
    with session_factory() as session:
        first, second = session.scalars(select(Organisation.id).order_by(Organisation.id)).all()
    post(client, f"/partenaires/{first}/codes", {"kind": "alert_giver", "expires_on": ""},
         f"/partenaires/{first}")
    with session_factory() as session:
        invite = session.scalars(select(InviteCode)).one()
    assert client.get(f"/partenaires/{second}/codes/{invite.id}/qr.svg").status_code == 404
    assert client.get("/partenaires/999").status_code == 404


def test_without_a_bot_name_the_page_says_what_to_set(db_url, session_factory):
    seed_accounts(session_factory)
    app = make_app(db_url)  # Settings(): no TELEGRAM_BOT_USERNAME
    client = app.test_client()
    AuthActions(client).login(ADMIN)
    create(client)
    number = organisation_id(session_factory)
    post(client, f"/partenaires/{number}/codes", {"kind": "alert_giver", "expires_on": ""},
         f"/partenaires/{number}")
    page = client.get(f"/partenaires/{number}").get_data(as_text=True)
    assert "TELEGRAM_BOT_USERNAME" in page and "t.me/" not in page
    assert re.search(r"PARTENAIRE [A-Z0-9]{6}</strong> au numéro du service", page)
