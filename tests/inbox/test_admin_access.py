"""Who reaches the admin pages: admins only; a coordinator gets 403, a visitor signs in."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import Solution, User
from storage.seed import seed_solutions
from tests.inbox.admin_support import ids, journal, page
from tests.inbox.conftest import ADMIN, csrf_token

PAGES = ["/admin", "/admin/reponses-types", "/admin/reponses-types/nouvelle", "/admin/solutions",
         "/admin/comptes", "/admin/comptes/nouveau", "/admin/equipes", "/admin/journal"]


def admin_routes(app) -> list[tuple[str, str]]:
    """(method, url) of every admin route, ids filled with 1."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("inbox.admin."):
            url = rule.build({name: "1" for name in rule.arguments})[1]
            routes += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


def test_an_anonymous_visitor_is_sent_to_sign_in(app, client):
    routes = admin_routes(app)
    assert ("GET", "/admin/comptes") in routes and ("POST", "/admin/comptes/1/fermer") in routes
    token = csrf_token(client)
    for method, url in routes:
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/connexion"), (method, url)


def test_a_coordinator_gets_403_on_every_admin_page_and_action(app, client, auth, session_factory):
    auth.login()
    token = csrf_token(client, "/demandes")
    for method, url in admin_routes(app):
        response = client.open(url, method=method, data={"csrf_token": token, "name": "X"})
        assert response.status_code == 403, (method, url)
        assert "réservée aux personnes qui gèrent le service" in response.get_data(as_text=True)
    assert "Administration" not in page(client, "/demandes")


def test_an_admin_sees_every_page_and_the_menu_entry(client, auth, session_factory):
    with session_factory.begin() as session:
        seed_solutions(session)
    auth.login(ADMIN)
    assert 'href="/admin">Administration</a>' in page(client, "/demandes")
    for path in PAGES:
        html = page(client, path)
        assert '<nav class="admin-nav" aria-label="Administration">' in html, path
        assert html.count("<h1") == 1, path
    account = ids(session_factory)["coordinator"]
    assert "Camille Martin" in page(client, f"/admin/comptes/{account}")
    assert "Garage solidaire" in page(client, "/admin/solutions")


@pytest.mark.parametrize("path, form", [
    ("/admin/solutions", {"name": "Covoiturage", "kind": "other"}),
    ("/admin/reponses-types/nouvelle", {"title": "T", "body": "Bonjour"}),
    ("/admin/comptes/nouveau", {"email": "lou@example.fr", "name": "Lou", "role": "admin"}),
    ("/admin/equipes", {"name": "Équipe Cergy"}),
])
def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(client, auth, session_factory,
                                                                     path, form):
    auth.login(ADMIN)
    refused = client.post(path, data=form)
    assert refused.status_code == 400 and "Cette page a expiré" in refused.get_data(as_text=True)
    assert client.post(path, data={"csrf_token": "faux", **form}).status_code == 400
    assert journal(session_factory) == []
    with session_factory() as session:
        assert session.scalar(select(Solution).where(Solution.name == "Covoiturage")) is None
        assert session.scalar(select(User).where(User.email == "lou@example.fr")) is None


def test_an_admin_whose_account_was_closed_meanwhile_can_do_nothing(client, auth, session_factory):
    auth.login(ADMIN)
    token = csrf_token(client, "/admin/solutions")
    with session_factory.begin() as session:
        session.get(User, ids(session_factory)["admin"]).active = False
    response = client.post("/admin/solutions", data={"csrf_token": token, "name": "Covoiturage",
                                                     "kind": "other"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")
    with session_factory() as session:
        assert session.scalar(select(Solution).where(Solution.name == "Covoiturage")) is None
