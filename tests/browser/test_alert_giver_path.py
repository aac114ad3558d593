"""The alert giver's whole path, end to end: an admin creates an organisation and copies its
invite link in the inbox; an alert giver joins through the real Telegram webhook and refers
someone; the case appears with the organisation; the coordinator closes it; the alert giver
receives the news on the fake Telegram server, once.

The app runs at a fixed moment, a Monday morning in Paris (the inbox's INBOX_NOW and the job
queue's clock): news is written first by the service, so it leaves only in the daytime.
The worker's minute sweep (`deliver_due`) is run by the test where the worker would run it.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
import requests
from huey import MemoryHuey
from playwright.sync_api import Page, expect

from bot.delivery_limits import RateLimits
from bot.jobs import Jobs
from bot.settings import Settings
from storage.models import User
from tests.browser.conftest import (EMAIL, LiveServer, check_accessibility, login,
                                    seed_coordinator, serve)
from tests.fakes.telegram import TOKEN, callback_update, text_update
from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.support.accounts import password_hash
from tests.support.people import Clock

ADMIN = "alex@example.fr"
BOT = "RelaisMobiliteBot"
SECRET = "le-secret_du-webhook"
CHAT = 5550077  # the alert giver's Telegram chat
ORGANISATION = "CCAS de Garges-lès-Gonesse"
MONDAY_MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # 10:00 in Paris
NEWS = "Des nouvelles de la personne que vous nous avez présentée"


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_MORNING)


@pytest.fixture
def jobs(session_factory, fake_telegram, fake_twilio, clock) -> Iterator[Jobs]:
    """The job queue, run inline, sending through the fake Telegram and Twilio servers."""
    settings = Settings(
        telegram_bot_token=TOKEN, telegram_webhook_secret=SECRET, telegram_bot_username=BOT,
        telegram_api_base_url=fake_telegram.url, twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN, twilio_api_base_url=fake_twilio.url,
        sms_sender="+33700000000")
    jobs = Jobs(MemoryHuey("browser", immediate=True), settings, session_factory=session_factory,
                limits=RateLimits({}), clock=clock)
    yield jobs
    for sender in jobs.senders().values():
        getattr(sender, "close", lambda: None)()


@pytest.fixture
def live_server(db_url, session_factory, jobs, clock) -> Iterator[LiveServer]:
    """The app with the Telegram webhook, an admin, and a coordinator whose team gets the
    cases no territory claims."""
    from webhooks import create_app

    seed_coordinator(session_factory, default_team="Équipe Sarcelles")
    with session_factory.begin() as session:
        session.add(User(email=ADMIN, name="Alex Admin", role="admin",
                         password_hash=password_hash()))

    def make(url: str):
        return create_app({"TESTING": True, "DATABASE_URL": db_url, "SETTINGS": jobs.settings,
                           "JOBS": jobs, "INBOX_NOW": clock, "INBOX_POLL_SECONDS": 1})

    with serve(make) as live:
        yield live


class TelegramUser:
    """The alert giver's Telegram app: updates posted to the webhook as Telegram posts them."""

    def __init__(self, live: LiveServer):
        self.live, self.update_id = live, 100

    def post(self, update: dict) -> None:
        response = requests.post(self.live.url + "/webhooks/telegram", data=json.dumps(update),
                                 headers={"Content-Type": "application/json",
                                          "X-Telegram-Bot-Api-Secret-Token": SECRET}, timeout=10)
        assert response.status_code == 200, response.text

    def write(self, *texts: str) -> None:
        for text in texts:
            self.update_id += 1
            self.post(text_update(self.update_id, CHAT, text, first_name="Awa"))

    def tap(self, option: str) -> None:
        self.update_id += 1
        self.post(callback_update(self.update_id, CHAT, option, first_name="Awa"))


def received(fake_telegram) -> list[str]:
    """What the alert giver's chat shows, oldest first."""
    return [m["text"] for m in fake_telegram.sent_messages() if str(m["chat_id"]) == str(CHAT)]


def create_organisation_and_copy_its_link(page: Page, live_server: LiveServer) -> str:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(page, ADMIN)
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Partenaires").click()
    page.get_by_role("link", name="Ajouter une organisation").click()
    page.get_by_label("Nom de l'organisation").fill(ORGANISATION)
    page.get_by_label("Type d'organisation").select_option(label="CCAS ou CIAS")
    page.get_by_label("Type de territoire").select_option(label="Commune")
    page.get_by_label("Code officiel").fill("95268")
    page.get_by_role("button", name="Créer l'organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    page.get_by_label("Pour").select_option(label="Donneur d'alerte")
    page.get_by_role("button", name="Créer le code").click()
    expect(page.locator(".flashes")).to_contain_text("est créé")
    page.get_by_role("button", name="Copier le lien").click()
    expect(page.locator("[id$='-status']")).to_have_text("Lien copié.")
    link = page.evaluate("() => navigator.clipboard.readText()")
    assert link == page.get_by_label("Lien Telegram").input_value()
    assert link.startswith(f"https://t.me/{BOT}?start=")
    page.get_by_role("button", name="Se déconnecter").click()
    return link


def join_and_refer(alert_giver: TelegramUser, link: str, fake_telegram) -> None:
    """/start CODE from the link, then a whole referral, typed and tapped."""
    alert_giver.write("/start " + link.rsplit("=", 1)[1])
    assert ORGANISATION in received(fake_telegram)[-1]
    alert_giver.tap("yes")
    alert_giver.write("Awa", "conseillère sociale")
    if "nouvelles du réseau" in received(fake_telegram)[-1]:  # the network's news, if offered
        alert_giver.tap("no")
    assert any("écrivez MES DEMANDES" in text for text in received(fake_telegram))
    alert_giver.write("REPERAGE")
    alert_giver.tap("yes")
    alert_giver.write("Fatou", "06 12 34 56 78", "le matin", "Sarcelles", "pas de voiture",
                      "pour aller au travail")
    alert_giver.tap("job_seeker")  # the programme's categories: buttons
    alert_giver.tap("done")
    alert_giver.write("pas urgent", "Elle a peur de conduire")
    assert received(fake_telegram)[-1].endswith("C'est juste ?")
    alert_giver.tap("yes")
    assert "La fiche de Fatou est transmise" in received(fake_telegram)[-1]


def test_an_alert_giver_joins_refers_and_hears_the_outcome_once(
        page: Page, live_server, jobs, fake_telegram):
    link = create_organisation_and_copy_its_link(page, live_server)
    alert_giver = TelegramUser(live_server)
    join_and_refer(alert_giver, link, fake_telegram)
    reference = received(fake_telegram)[-1].split("Son numéro : ")[1].split(".")[0]

    login(page, EMAIL)
    row = page.get_by_role("table").get_by_role("row").filter(has_text=reference)
    expect(row).to_be_visible()
    expect(row).to_contain_text("Donneur d'alerte")
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.locator(".summary")).to_contain_text(f"{ORGANISATION} · Awa")
    check_accessibility(page)

    jobs.deliver_due()  # the worker's minute: whatever was due leaves (the person's SMS too)
    before = len(received(fake_telegram))
    page.get_by_label("Nouveau statut").select_option(label="Close")
    page.get_by_label("Résultat (pour clore)").select_option(label="Solution trouvée")
    page.get_by_role("button", name="Changer le statut").click()
    expect(page.locator(".flashes")).to_have_text("Statut : Close.")
    expect(page.locator(".summary")).to_contain_text("Close · Solution trouvée")
    check_accessibility(page)

    jobs.deliver_due()
    jobs.deliver_due()  # a second sweep sends nothing again
    news = received(fake_telegram)[before:]
    assert news == [f"{NEWS} (Fatou, {reference}) :\n"
                    "Une solution a été trouvée pour ses trajets. Merci pour votre aide !"]
    assert "peur" not in news[0] and "06" not in news[0]
