"""APPEL in a real browser: the header tells the coordinator without a reload, the flagged
case stands out, and answering the person clears the notice. Filters on a phone."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from huey import MemoryHuey
from playwright.sync_api import Page, expect

from bot.delivery_limits import RateLimits
from bot.jobs import Jobs
from bot.settings import Settings
from tests.browser.conftest import (LiveServer, check_accessibility, has_horizontal_scroll, login,
                                    screenshot, seed_coordinator, serve)
from tests.browser.test_cases import PERSON, PHONE, SMS_NUMBER, text_from_resident
from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN

NOTICE = "1 personne veut parler à quelqu'un de l'équipe."
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map(e => e.outerHTML.slice(0, 120))"""


@pytest.fixture
def live_server(db_url, session_factory, fake_twilio) -> Iterator[LiveServer]:
    """SMS through the fake Twilio; the list and the header's notice poll every second."""
    from webhooks import create_app

    seed_coordinator(session_factory, default_team="Équipe Sarcelles")

    def make(url: str):
        settings = Settings(twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
                            twilio_api_base_url=fake_twilio.url, sms_sender=SMS_NUMBER,
                            public_base_url=url)
        jobs = Jobs(MemoryHuey("browser-asking", immediate=True), settings,
                    session_factory=session_factory, limits=RateLimits({}))
        return create_app({"TESTING": True, "DATABASE_URL": db_url, "SETTINGS": settings,
                           "JOBS": jobs, "INBOX_POLL_SECONDS": 1, "INBOX_ASKING_POLL_SECONDS": 1})

    with serve(make) as live:
        yield live


def test_a_person_asking_for_someone_is_announced_and_cleared_by_an_answer(
        page: Page, live_server, fake_twilio):
    login(page)
    notice = page.locator(".site-header .calls")
    expect(notice).to_have_attribute("aria-live", "polite")
    expect(notice).to_have_text("")

    text_from_resident(live_server, "Bonjour", "APPEL")
    expect(notice).to_contain_text(NOTICE, timeout=10_000)  # polled in, without a reload
    row = page.locator("tr.case-row--human")
    expect(row).to_contain_text("Veut parler à une personne", timeout=10_000)
    check_accessibility(page)
    screenshot(page, "asking-notice-1280")

    notice.get_by_role("link", name="Voir sa demande").click()
    page.wait_for_url("**/demandes?appel=oui")
    expect(page.get_by_label("La personne veut parler à quelqu'un")).to_be_checked()
    page.locator("tr.case-row--human").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demande RM-")
    expect(page.locator(".site-header .calls")).to_contain_text(NOTICE)

    sent_by_bot = fake_twilio.count()
    page.get_by_label("Votre message (SMS)").fill("Bonjour, ici Camille. Je vous appelle ce matin.")
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.locator(".flashes")).to_have_text("Réponse envoyée.")
    assert fake_twilio.count() == sent_by_bot + 1 and fake_twilio.messages[-1]["To"] == PERSON
    expect(page.locator(".site-header .calls")).to_have_text("")
    page.get_by_role("link", name="Retour aux demandes").click()
    expect(page.locator("tr.case-row--human")).to_have_count(0)


def test_the_more_filters_fold_on_a_phone_and_pass_axe(page: Page, live_server):
    page.set_viewport_size(PHONE)
    login(page)
    more = page.get_by_text("Plus de filtres : origine, lieu, catégorie")
    expect(page.get_by_label("Commune")).to_be_hidden()
    more.click()
    page.get_by_label("Commune").fill("Saint-Denis")
    page.get_by_label("Origine").select_option(label="Donneur d'alerte")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Plusieurs communes portent ce nom")
    expect(page.get_by_label("Commune")).to_be_visible()  # still open: a place filter is used
    assert not has_horizontal_scroll(page), page.evaluate(WIDER_THAN_THE_SCREEN)
    check_accessibility(page)
    screenshot(page, "filters-360")
