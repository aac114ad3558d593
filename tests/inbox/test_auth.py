"""Signing in to the inbox: sessions, CSRF, rate limits, safe redirects, closed accounts, CLI."""
from __future__ import annotations

import html

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.settings import Settings
from inbox.accounts import admin_required
from storage.models import Team, User
from storage.seed import reset_password
from tests.inbox.conftest import (ADMIN, COORDINATOR, CSRF_FIELD, INACTIVE, PASSWORD, csrf_token,
                                  make_app, seed_accounts)

WRONG = "Adresse e-mail ou mot de passe incorrect."
TOO_MANY = "Trop d'essais, réessayez dans une minute."


def inbox_routes(app: Flask) -> list[tuple[str, str]]:
    """(method, url) of every inbox route that is not public, with "1" for each URL argument."""
    routes = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if not rule.endpoint.startswith("inbox.") or rule.endpoint == "inbox.static":
            continue
        if getattr(view, "inbox_public", False):
            continue
        url = rule.build({name: "1" for name in rule.arguments})[1]
        routes += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


def test_every_inbox_route_sends_an_anonymous_visitor_to_sign_in(app, client):
    routes = inbox_routes(app)
    assert ("GET", "/demandes") in routes and ("POST", "/deconnexion") in routes
    token = csrf_token(client)
    for method, url in routes:
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/connexion"), (method, url)


def test_sign_in_remembers_where_the_visitor_was_going(client, auth):
    assert client.get("/demandes?statut=nouveau").headers["Location"] == (
        "/connexion?next=/demandes?statut%3Dnouveau")
    response = auth.login(next="/demandes?statut=nouveau")
    assert response.status_code == 303 and response.headers["Location"] == "/demandes?statut=nouveau"


def test_an_htmx_request_from_an_anonymous_visitor_reloads_the_sign_in_page(client):
    response = client.get("/demandes", headers={
        "HX-Request": "true", "HX-Current-URL": "http://localhost/demandes?page=2"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/connexion?next=/demandes?page%3D2"


def test_sign_in_shows_the_account_and_its_teams_then_sign_out_ends_it(client, auth):
    assert auth.login().headers["Location"] == "/demandes"
    page = client.get("/demandes").get_data(as_text=True)
    assert "Camille Martin" in page and "Équipe Sarcelles" in page and "Équipe Val-d&#39;Oise" in page
    logout = auth.logout()
    assert logout.status_code == 303 and logout.headers["Location"] == "/connexion"
    assert "Vous êtes déconnecté·e" in client.get("/connexion").get_data(as_text=True)
    assert client.get("/demandes").status_code == 302


@pytest.mark.parametrize("email, password", [
    (COORDINATOR, "pas le bon"), ("personne@example.fr", PASSWORD), ("", ""),
])
def test_a_failed_sign_in_does_not_say_which_field_was_wrong(client, auth, email, password):
    response = auth.login(email, password)
    assert response.status_code == 200 and WRONG in response.get_data(as_text=True)
    assert client.get("/demandes").status_code == 302


def test_email_is_case_insensitive(auth):
    assert auth.login("  Camille@Example.FR ").status_code == 303


def test_a_closed_account_cannot_sign_in(client, auth):
    response = auth.login(INACTIVE)
    assert response.status_code == 200 and "Ce compte est fermé" in response.get_data(as_text=True)
    assert client.get("/demandes").status_code == 302


def test_closing_an_account_or_changing_its_password_ends_its_sessions(app, client, auth,
                                                                     session_factory):
    auth.login()
    with session_factory.begin() as session:
        reset_password(session, COORDINATOR, "un tout nouveau mot de passe")
    assert client.get("/demandes").status_code == 302
    auth.login(password="un tout nouveau mot de passe")
    with session_factory.begin() as session:
        session.scalar(select(User).where(User.email == COORDINATOR)).active = False
    assert client.get("/demandes").status_code == 302


@pytest.mark.parametrize("target", [
    "//evil.example", "https://evil.example", "https://evil.example/demandes", "/\\evil.example",
    "///evil.example", "javascript:alert(1)", "/\r\nLocation: https://evil.example", "demandes", "/connexion",
])
def test_next_never_leaves_the_site(auth, target):
    assert auth.login(next=target).headers["Location"] == "/demandes"


def test_a_form_without_its_csrf_token_is_refused(client, auth):
    refused = client.post("/connexion", data={"email": COORDINATOR, "password": PASSWORD})
    assert refused.status_code == 400 and "Cette page a expiré" in refused.get_data(as_text=True)
    assert client.get("/demandes").status_code == 302
    auth.login()
    assert client.post("/deconnexion").status_code == 400
    assert client.post("/deconnexion", data={"csrf_token": "faux"}).status_code == 400
    assert client.get("/demandes").status_code == 200


def test_htmx_requests_may_send_the_csrf_token_in_a_header(client, auth):
    auth.login()
    token = csrf_token(client, "/demandes")
    response = client.post("/deconnexion", headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 303


def test_the_sixth_failed_sign_in_in_a_minute_is_refused_even_with_the_right_password(auth):
    for _ in range(5):
        assert auth.login(password="pas le bon").status_code == 200
    refused = auth.login()
    assert refused.status_code == 429 and TOO_MANY in html.unescape(refused.get_data(as_text=True))
    assert "Retry-After" in refused.headers


def test_sign_in_is_limited_per_email_across_addresses(auth):
    for number in range(5):
        auth.login(password="pas le bon", remote_addr=f"10.0.0.{number}")
    assert auth.login(remote_addr="10.0.0.99").status_code == 429
    assert auth.login(ADMIN, remote_addr="10.0.0.99").status_code == 303


def test_sign_in_is_limited_per_address_across_emails(auth):
    for number in range(5):
        auth.login(f"personne{number}@example.fr", remote_addr="10.0.0.7")
    assert auth.login(ADMIN, remote_addr="10.0.0.7").status_code == 429
    assert auth.login(ADMIN, remote_addr="10.0.0.8").status_code == 303


def test_successful_sign_ins_are_not_counted(auth):
    for _ in range(6):
        assert auth.login().status_code == 303
        assert auth.logout().status_code == 303


def test_cookies_are_http_only_and_same_site_and_secure_behind_https(db_url, session_factory):
    seed_accounts(session_factory)
    app = make_app(db_url, SETTINGS=Settings(public_base_url="https://relais.example.fr"))
    client = app.test_client()
    page = client.get("/connexion", base_url="https://localhost").get_data(as_text=True)
    token = CSRF_FIELD.search(page).group(1)
    response = client.post("/connexion", base_url="https://localhost",
                           headers={"Referer": "https://localhost/connexion"},
                           data={"csrf_token": token, "email": COORDINATOR, "password": PASSWORD,
                                 "remember": "oui"})
    assert response.status_code == 303
    cookies = {header.split("=")[0]: header for header in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        assert "; HttpOnly" in cookies[name] and "; SameSite=Lax" in cookies[name], cookies[name]
        assert "; Secure" in cookies[name], cookies[name]


def test_inbox_pages_carry_a_strict_content_security_policy(client, auth):
    auth.login()
    headers = client.get("/demandes").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["Cache-Control"] == "no-store"


def test_user_text_is_escaped(client, auth, session_factory):
    with session_factory.begin() as session:
        user = session.scalar(select(User).options(selectinload(User.teams))
                              .where(User.email == COORDINATOR))
        user.name = '<script>alert("nom")</script>'
        user.teams[0].name = '<img src=x onerror=alert(1)>'
    auth.login()
    page = client.get("/demandes").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;nom&#34;)&lt;/script&gt;" in page


def test_admin_required_lets_only_admins_through(app, client, auth):
    app.add_url_rule("/essai-admin", "essai_admin", admin_required(lambda: "réglages"))
    assert client.get("/essai-admin").headers["Location"].startswith("/connexion")
    auth.login()
    assert client.get("/essai-admin").status_code == 403
    auth.logout()
    auth.login(ADMIN)
    assert client.get("/essai-admin").get_data(as_text=True) == "réglages"


def test_logout_is_post_only(client, auth):
    auth.login()
    assert client.get("/deconnexion").status_code == 405


def test_cli_creates_a_team_and_an_account_that_can_sign_in(app, client, auth, session_factory):
    runner = app.test_cli_runner()
    team = runner.invoke(args=["inbox", "create-team", "Équipe Cergy", "commune:95127",
                               "epci:200035301", "departement:95", "--default"])
    assert team.exit_code == 0, team.output
    assert "Équipe « Équipe Cergy » créée" in team.output
    created = runner.invoke(args=["inbox", "create-user", "Lou@Example.fr", "--name", "Lou Petit",
                                  "--role", "admin", "--team", "Équipe Cergy"])
    assert created.exit_code == 0, created.output
    password = created.output.split("Mot de passe : ")[1].split()[0]
    with session_factory() as session:
        cergy = session.scalar(select(Team).where(Team.name == "Équipe Cergy"))
        assert cergy.is_default
        assert sorted((t.kind, t.code) for t in cergy.territories) == [
            ("commune", "95127"), ("departement", "95"), ("epci", "200035301")]
        assert session.scalars(select(Team.name).where(Team.is_default)).all() == ["Équipe Cergy"]
    assert auth.login("lou@example.fr", password).status_code == 303
    listing = runner.invoke(args=["inbox", "list-users"])
    assert "lou@example.fr\tLou Petit\tadmin\tactif\tÉquipe Cergy" in listing.output
    assert f"{INACTIVE}\tAncien Compte\tcoordinator\tfermé" in listing.output


@pytest.mark.parametrize("args, message", [
    (["create-team", "Équipe Sarcelles"], "existe déjà"),
    (["create-team", "Nouvelle", "ville:95585"], "le type doit être"),
    (["create-team", "Nouvelle", "commune:955"], "ne ressemble pas"),
    (["create-user", COORDINATOR, "--name", "Double"], "existe déjà"),
    (["create-user", "nouveau@example.fr", "--name", "N", "--team", "Inconnue"], "Aucune équipe"),
    (["create-user", "pas-une-adresse", "--name", "N"], "n'est pas une adresse"),
    (["deactivate-user", "personne@example.fr"], "Aucun compte"),
])
def test_cli_refuses_mistakes_with_a_clear_message(app, args, message):
    result = app.test_cli_runner().invoke(args=["inbox", *args])
    assert result.exit_code != 0 and message in result.output, result.output


def test_cli_closes_an_account(app, auth):
    result = app.test_cli_runner().invoke(args=["inbox", "deactivate-user", COORDINATOR])
    assert result.exit_code == 0, result.output
    assert "Ce compte est fermé" in auth.login().get_data(as_text=True)


def test_sign_in_limits_are_shared_through_redis_when_it_is_configured(db_url):
    app = make_app(db_url, SETTINGS=Settings(redis_url="redis://127.0.0.1:6379/15"))
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/15"
    assert make_app(db_url).config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_a_public_server_refuses_the_development_secret_key(db_url):
    from webhooks import create_app

    public = Settings(public_base_url="https://relais.example.fr")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"DATABASE_URL": db_url, "SETTINGS": public, "SECRET_KEY": "dev-only-change-me"})
    create_app({"DATABASE_URL": db_url, "SETTINGS": public, "SECRET_KEY": "x" * 40})
