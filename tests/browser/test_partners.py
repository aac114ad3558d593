"""An admin builds the partner network in a real browser: an organisation, an invite code."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from bot.settings import Settings
from storage.models import User
from tests.browser.conftest import LiveServer, check_accessibility, login, seed_coordinator, serve
from tests.support.accounts import password_hash

ADMIN = "alex@example.fr"
BOT = "RelaisMobiliteBot"


@pytest.fixture
def live_server(db_url, session_factory) -> Iterator[LiveServer]:
    """The app with a Telegram bot name and an SMS number, and an admin account."""
    from webhooks import create_app

    seed_coordinator(session_factory)
    with session_factory.begin() as session:
        session.add(User(email=ADMIN, name="Alex Admin", role="admin", password_hash=password_hash()))
    settings = Settings(telegram_bot_username=BOT, sms_sender="38100")
    with serve(lambda _url: create_app({"TESTING": True, "DATABASE_URL": db_url,
                                        "SETTINGS": settings})) as live:
        yield live


def test_an_admin_creates_an_organisation_and_hands_out_its_invite_code(page: Page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(page, ADMIN)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Partenaires").click()
    expect(page.get_by_role("heading", name="Organisations partenaires")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Ajouter une organisation").click()
    check_accessibility(page)
    page.get_by_label("Nom de l'organisation").fill("Mission locale de l'Est du Val-d'Oise")
    page.get_by_label("Type d'organisation").select_option(label="Mission locale")
    page.get_by_label("Type de territoire").select_option(label="Département")
    page.get_by_label("Code officiel").fill("95")
    page.get_by_role("button", name="Créer l'organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mission locale de l'Est du Val-d'Oise")

    page.get_by_label("Pour").select_option(label="Donneur d'alerte")
    page.get_by_role("button", name="Créer le code").click()
    expect(page.locator(".flashes")).to_contain_text("est créé")
    link = page.get_by_label("Lien Telegram").input_value()
    assert re.fullmatch(rf"https://t\.me/{BOT}\?start=[3479ACEFHKMNPRTWXY]{{6}}", link)
    code = link.rsplit("=", 1)[1]
    expect(page.get_by_text(f"PARTENAIRE {code}")).to_be_visible()
    qr = page.get_by_role("img", name=f"QR code du lien Telegram, code {code}")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")

    page.get_by_role("button", name="Copier le lien").click()
    expect(page.locator("[id$='-status']")).to_have_text("Lien copié.")
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    check_accessibility(page)

    page.get_by_role("link", name="Affiche à imprimer").click()
    expect(page.get_by_role("heading", name="Rejoindre le réseau Relais Mobilité")).to_be_visible()
    expect(page.get_by_text(link)).to_be_visible()
    check_accessibility(page)
