"""The network page and a news broadcast in a real browser, checked with axe-core."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from playwright.sync_api import Page, expect

from bot.settings import Settings
from storage.models import User
from tests.browser.conftest import LiveServer, check_accessibility, login, seed_coordinator, serve
from tests.support.accounts import password_hash
from tests.support.news_members import seed_members

ADMIN = "alex@example.fr"
MONDAY_MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class NoJobs:
    def enqueue_delivery(self, ids) -> None:  # noqa: ANN001
        pass


@pytest.fixture
def live_server(db_url, session_factory) -> Iterator[LiveServer]:
    from webhooks import create_app

    seed_coordinator(session_factory)
    seed_members(session_factory, MONDAY_MORNING)
    with session_factory.begin() as session:
        session.add(User(email=ADMIN, name="Alex Admin", role="admin", password_hash=password_hash()))
    config = {"TESTING": True, "DATABASE_URL": db_url, "SETTINGS": Settings(),
              "INBOX_NOW": lambda: MONDAY_MORNING, "JOBS": NoJobs()}
    with serve(lambda _url: create_app(config)) as live:
        yield live


def test_an_admin_reads_the_network_and_sends_news(page: Page, live_server):
    login(page, ADMIN)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Réseau").click()
    expect(page.get_by_role("heading", name="Le réseau de partenaires")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("CCAS de Sarcelles")
    check_accessibility(page)

    page.get_by_role("link", name="Écrire une nouvelle").click()
    check_accessibility(page)
    page.get_by_label("Message").fill("Réunion du réseau jeudi à 14 h au centre social.")
    expect(page.locator("#news-count")).to_contain_text("1 SMS")
    page.get_by_label("Organisation").select_option(label="CCAS de Sarcelles")
    page.get_by_role("button", name="Voir avant d'envoyer").click()
    check_accessibility(page)
    page.get_by_role("button", name="Envoyer à 2 personnes").click()
    expect(page.locator(".flashes")).to_contain_text("La nouvelle est envoyée.")
    expect(page.locator("#news-progress")).to_contain_text("En attente")
    check_accessibility(page)
