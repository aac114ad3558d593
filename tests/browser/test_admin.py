"""The admin pages in a real browser: an admin adds a canned reply and a solution, and a
coordinator uses both on a case; axe-core finds nothing on any admin page."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from bot.settings import Settings
from storage.models import Team, User
from storage.seed import seed_solutions
from tests.browser.conftest import (EMAIL, LiveServer, check_accessibility, has_horizontal_scroll,
                                    login, screenshot, seed_coordinator, serve)
from tests.inbox.cases.helpers import make_case
from tests.support.accounts import password_hash

ADMIN_EMAIL = "alex@example.fr"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def live_server(db_url, session_factory) -> Iterator[LiveServer]:
    """The app, with an admin of no team besides the coordinator, the seeded catalogue and
    a case from Nadia in the coordinator's team."""
    from webhooks import create_app

    seed_coordinator(session_factory)
    with session_factory.begin() as session:
        session.add(User(email=ADMIN_EMAIL, name="Alex Admin", role="admin",
                         password_hash=password_hash()))
        seed_solutions(session)
        team = session.scalar(select(Team.id).where(Team.name == "Équipe Sarcelles"))
        make_case(session, team, address="+33639981234", channel="sms", first_name="Nadia",
                  messages=("Bonjour, je cherche une solution pour aller au travail.",))
    with serve(lambda _url: create_app({"TESTING": True, "DATABASE_URL": db_url,
                                        "SETTINGS": Settings()})) as live:
        yield live


def visit(page: Page, link: str, heading: str) -> None:
    """Follow a link of the admin menu, wait for the page's heading, check it with axe-core."""
    page.get_by_role("navigation", name="Administration").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_accessibility(page)


def test_an_admin_adds_a_canned_reply_and_a_solution_that_a_coordinator_then_uses(page: Page):
    login(page, ADMIN_EMAIL)
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Administration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")
    check_accessibility(page)

    visit(page, "Réponses types", "Réponses types")
    page.get_by_role("link", name="Nouvelle réponse type").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle réponse type")
    page.get_by_label("Titre (pour la retrouver dans la liste)").fill("Accueil")
    page.get_by_label("Texte envoyé à la personne").fill("Bonjour {nom}")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Repère inconnu : {nom}.")  # the live preview, as one types
    page.get_by_label("Texte envoyé à la personne").fill(
        "Bonjour {prenom}, votre demande {reference} est bien arrivée.")
    expect(preview).to_contain_text("Bonjour Nadia, votre demande RM-2026-00042 est bien arrivée.")
    check_accessibility(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".flashes")).to_have_text("Réponse type « Accueil » ajoutée.")
    expect(page.get_by_role("table")).to_contain_text("Toutes les équipes")

    visit(page, "Solutions", "Catalogue des solutions")
    page.get_by_label("Nom de la solution").fill("Covoiturage solidaire")
    page.get_by_label("Type").select_option(label="Autre")
    page.get_by_role("button", name="Ajouter au catalogue").click()
    expect(page.locator(".flashes")).to_have_text(
        "« Covoiturage solidaire » est ajoutée au catalogue.")
    check_accessibility(page)
    page.get_by_role("button", name="Retirer « Garage solidaire »").click()
    expect(page.locator(".flashes")).to_contain_text("« Garage solidaire » n'est plus proposée.")

    page.get_by_role("button", name="Se déconnecter").click()
    login(page, EMAIL)
    page.get_by_role("link", name="RM-").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demande RM-")
    page.wait_for_load_state("load")  # the reply box's script is deferred
    page.get_by_label("Réponse toute prête").select_option(label="Accueil")
    expect(page.get_by_label("Votre message (SMS)")).to_have_value(
        page.locator("h1").inner_text().replace("Demande ", "Bonjour Nadia, votre demande ")
        + " est bien arrivée.")
    orient = page.get_by_label("Orienter vers")
    expect(orient.locator("option", has_text="Garage solidaire")).to_have_count(0)
    orient.select_option(label="Covoiturage solidaire")
    page.get_by_role("button", name="Orienter").click()
    expect(page.locator(".summary")).to_contain_text("Covoiturage solidaire")


def test_every_admin_page_passes_axe_and_fits_a_phone(page: Page, live_server):
    login(page, ADMIN_EMAIL)
    page.goto("/admin")
    visit(page, "Comptes", "Comptes")
    page.get_by_role("link", name="Créer un compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")
    page.get_by_label("Nom affiché").fill("Lou Petit")
    page.get_by_label("Adresse e-mail (pour se connecter)").fill("lou@example.fr")
    page.get_by_role("radio", name="Admin").check()
    page.get_by_role("checkbox", name="Équipe Sarcelles").check()
    check_accessibility(page)
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compte créé")
    expect(page.locator(".password-once code")).to_have_text(re.compile(r"^\S{12}$"))
    check_accessibility(page)
    page.get_by_role("link", name="Voir le compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lou Petit")
    check_accessibility(page)

    visit(page, "Équipes", "Équipes")
    page.get_by_role("link", name="Équipe Sarcelles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier l'équipe")
    check_accessibility(page)
    visit(page, "Solutions", "Catalogue des solutions")
    page.get_by_role("link", name="Garage solidaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier une solution")
    check_accessibility(page)
    visit(page, "Journal", "Journal")
    expect(page.get_by_role("table")).to_contain_text("Compte créé : Lou Petit")

    page.set_viewport_size(PHONE)
    for path in ("/admin", "/admin/reponses-types/nouvelle", "/admin/solutions", "/admin/comptes",
                 "/admin/comptes/nouveau", "/admin/equipes", "/admin/journal"):
        page.goto(path)
        assert not has_horizontal_scroll(page), path
        check_accessibility(page)
        screenshot(page, "admin" + path.replace("/", "-") + "-360")
