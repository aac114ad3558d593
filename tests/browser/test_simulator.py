"""The simulator in a real browser: play a resident to the end, answer from the inbox."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from bot.settings import Settings
from tests.browser.conftest import (LiveServer, check_accessibility, has_horizontal_scroll, login,
                                    screenshot, seed_coordinator, serve)

CONVERSATION = ["Bonjour", "oui", "g pa de voiture", "1", "95200", "1", "le matin", "oui"]
ATTACK = "<script>alert(1)</script> <img src=x onerror=alert(1)>"


@pytest.fixture
def live_server(db_url, session_factory) -> Iterator[LiveServer]:
    """The app with a fast poll; every case lands in the coordinator's team."""
    from webhooks import create_app

    seed_coordinator(session_factory, default_team="Équipe Sarcelles")
    with serve(lambda _url: create_app({"TESTING": True, "DATABASE_URL": db_url,
                                        "SETTINGS": Settings(), "INBOX_POLL_SECONDS": 1})) as live:
        yield live


def test_a_simulated_sms_conversation_reaches_the_inbox_and_the_reply_comes_back(
        page: Page, live_server: LiveServer):
    login(page)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Simulateur").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Simulateur")
    check_accessibility(page)

    phone = page.locator("#telephone")
    messages = phone.get_by_role("list", name="Messages").get_by_role("listitem")
    box = page.get_by_label("Votre message")
    for count, text in enumerate(CONVERSATION, start=1):
        box.fill(text)
        page.get_by_role("button", name="Envoyer", exact=True).click()
        expect(phone.locator(".simulator__bubble--mine")).to_have_count(count)
        expect(box).to_have_value("")
        expect(messages.last).to_contain_text("Relais Mobilité")
    expect(phone.locator(".simulator__bubble--mine").first).to_contain_text("Vous")
    expect(phone.locator(".simulator__meta").first).to_contain_text("SMS")
    box.fill(ATTACK)
    page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(phone.get_by_text(ATTACK)).to_be_visible()
    assert page.locator("#telephone script, #telephone img").count() == 0
    link = page.get_by_role("link", name="Voir la demande dans la boîte")
    expect(link).to_be_visible()
    screenshot(page, "simulator-sms-1280")
    check_accessibility(page)
    page.set_viewport_size({"width": 360, "height": 740})
    assert not has_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    inbox = page.context.new_page()
    inbox.goto("/demandes")
    row = inbox.get_by_role("table").get_by_role("row").filter(has_text="Sarcelles")
    expect(row).to_contain_text("SMS (simulateur)")
    row.get_by_role("link").click()
    expect(inbox.get_by_role("heading", level=1)).to_contain_text("Demande RM-")
    inbox.get_by_label("Votre message").fill("Bonjour, ici Camille : je vous rappelle demain.")
    inbox.get_by_role("button", name="Envoyer la réponse").click()
    # not the flash: the simulator's poll, in the same cookie jar, may race it (see report)
    expect(inbox.locator(".thread .bubble--out").last).to_contain_text("ici Camille")
    inbox.close()

    expect(messages.last).to_contain_text("Bonjour, ici Camille : je vous rappelle demain.",
                                          timeout=10_000)  # the poll brought it, no reload
    expect(messages.last).to_contain_text("Relais Mobilité")
    expect(page.get_by_role("status")).to_have_text("1 nouveau message de Relais Mobilité")
    check_accessibility(page)


def test_the_telegram_look_shows_buttons_that_answer(page: Page):
    login(page)
    page.goto("/simulateur?apparence=telegram")
    expect(page.get_by_role("heading", level=2)).to_contain_text("Telegram")
    page.get_by_label("Votre message").fill("Bonjour")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    buttons = page.locator(".simulator__buttons button")
    expect(buttons.first).to_be_visible()
    check_accessibility(page)
    label = buttons.first.inner_text().strip()
    buttons.first.click()
    mine = page.locator(".simulator__bubble--mine")
    expect(mine).to_have_count(2)
    assert label.endswith(mine.last.locator(".simulator__body").inner_text().strip())
    page.get_by_role("button", name="Nouvelle conversation").click()
    expect(page.locator(".simulator__empty")).to_be_visible()
