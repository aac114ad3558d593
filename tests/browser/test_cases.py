"""The case list and the case page in a real browser, fed by the real SMS webhook.

The live server here is wired like tests/webhooks/conftest.py: the fake Twilio server,
a job queue run inline, and its own URL as the public one (Twilio signs that URL).
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from huey import MemoryHuey
from playwright.sync_api import Page, expect

from bot.delivery_limits import RateLimits
from bot.jobs import Jobs
from bot.settings import Settings
from storage.models import CannedReply
from tests.browser.conftest import (LiveServer, check_accessibility, has_horizontal_scroll, login,
                                    screenshot, seed_coordinator, serve)
from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN, inbound_sms, sign, status_callback

SMS_NUMBER = "+33700000000"
PERSON = "+33612345678"
CONVERSATION = ["Bonjour", "oui", "g pa de voiture", "1", "95200", "1", "le matin", "oui"]
ATTACK = "<script>alert(1)</script> <img src=x onerror=alert(1)>"
ARABIC = "مرحبا، لا أستطيع الذهاب إلى العمل"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def live_server(db_url, session_factory, fake_twilio) -> Iterator[LiveServer]:
    """The app with SMS through the fake Twilio; every case lands in the coordinator's team."""
    from webhooks import create_app

    seed_coordinator(session_factory, default_team="Équipe Sarcelles")
    with session_factory.begin() as session:
        session.add(CannedReply(title="Rappel demain", body="Bonjour, je vous appelle demain. ☎"))

    def make(url: str):
        settings = Settings(twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
                            twilio_api_base_url=fake_twilio.url, sms_sender=SMS_NUMBER,
                            public_base_url=url)
        jobs = Jobs(MemoryHuey("browser", immediate=True), settings,
                    session_factory=session_factory, limits=RateLimits({}))
        return create_app({"TESTING": True, "DATABASE_URL": db_url, "SETTINGS": settings,
                           "JOBS": jobs, "INBOX_POLL_SECONDS": 1})

    with serve(make) as live:
        yield live


def post_signed(live: LiveServer, path: str, form: dict) -> None:
    """POST a form the way Twilio does, signed for the public URL."""
    signature = sign(AUTH_TOKEN, live.url + path, form)
    response = requests.post(live.url + path, data=form, headers={"X-Twilio-Signature": signature},
                             timeout=10)
    assert response.status_code == 200, response.text


def text_from_resident(live: LiveServer, *texts: str) -> None:
    for text in texts:
        post_signed(live, "/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, text))


def test_a_texted_case_appears_is_answered_delivered_and_closed(page: Page, live_server, fake_twilio):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page)
    table = page.get_by_role("table")
    expect(table).to_contain_text("Aucune demande")

    text_from_resident(live_server, *CONVERSATION)
    row = table.get_by_role("row").filter(has_text="Sarcelles")
    expect(row).to_be_visible(timeout=10_000)  # the htmx poll brought it, without a reload
    expect(row).to_contain_text("Pas de voiture")
    expect(row).to_contain_text("Nouvelle")
    screenshot(page, "cases-list-1280")
    check_accessibility(page)
    text_from_resident(live_server, ATTACK, ARABIC)

    sent_by_bot = fake_twilio.count()
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demande RM-")
    thread = page.locator(".thread")
    expect(thread.get_by_text(ATTACK)).to_be_visible()
    assert page.locator(".thread script, .thread img").count() == 0
    arabic = thread.get_by_text(ARABIC)
    assert arabic.evaluate("element => getComputedStyle(element).direction") == "rtl"
    check_accessibility(page)

    box = page.get_by_label("Votre message (SMS)")
    page.wait_for_load_state("load")  # the reply box's script is deferred
    page.get_by_label("Réponse toute prête").select_option(label="Rappel demain")
    expect(box).to_have_value("Bonjour, je vous appelle demain. ☎")
    expect(page.locator("#sms-count")).to_contain_text("Ce caractère rend le SMS plus cher : ☎")
    box.fill("Bonjour, je vous appelle demain matin.")
    expect(page.locator("#sms-count")).to_have_text("38 caractères · 1 SMS")
    box.fill("Voilà, c'est prêt : à demain.")  # ê would double the price: it leaves as e
    expect(page.locator("#sms-count")).to_have_text(
        "29 caractères · 1 SMS. Remplacé pour payer moins : ê → e")
    expect(page.locator("#sms-count")).not_to_have_class("hint hint--warning")
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.locator(".flashes")).to_have_text("Réponse envoyée.")
    assert fake_twilio.count() == sent_by_bot + 1
    reply = fake_twilio.messages[-1]
    assert reply["To"] == PERSON and reply["Body"] == "Voilà, c'est pret : à demain."
    mine = thread.locator(".bubble--out").last
    expect(mine).to_contain_text("Voilà, c'est pret : à demain.")  # what was really sent
    expect(mine).to_contain_text("envoyé")

    post_signed(live_server, "/webhooks/twilio/status", status_callback(reply["Sid"], "delivered"))
    page.reload()
    expect(thread.locator(".bubble--out").last).to_contain_text("remis")
    screenshot(page, "case-page-1280")
    page.set_viewport_size(PHONE)
    assert not has_horizontal_scroll(page)
    screenshot(page, "case-page-360")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_label("Nouveau statut").select_option(label="Close")
    page.get_by_role("button", name="Changer le statut").click()
    expect(page.locator(".flashes")).to_contain_text("Pour clore la demande, choisissez un résultat")
    page.get_by_label("Nouveau statut").select_option(label="Close")
    page.get_by_label("Résultat (pour clore)").select_option(label="Solution trouvée")
    page.get_by_role("button", name="Changer le statut").click()
    expect(page.locator(".flashes")).to_have_text("Statut : Close.")
    expect(page.locator(".summary")).to_contain_text("Close · Solution trouvée")
    assert fake_twilio.count() == sent_by_bot + 1  # closing sends nothing by itself
    page.get_by_role("link", name="Retour aux demandes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demandes")
    page.wait_for_load_state("load")
    page.set_viewport_size(PHONE)
    assert not has_horizontal_scroll(page)
    screenshot(page, "cases-list-360")
    check_accessibility(page)
    assert dialogs == []
