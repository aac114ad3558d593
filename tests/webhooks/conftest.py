"""The app wired to the fake providers: real routes, real SDKs, a job queue run inline."""
from __future__ import annotations

import json

import pytest
from huey import MemoryHuey

from bot.delivery_limits import RateLimits
from bot.jobs import Jobs
from bot.settings import Settings
from tests.fakes.telegram import TOKEN
from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN, sign
from tests.support.people import seed_teams

PUBLIC = "https://relais.example.fr"
SECRET = "le-secret_du-webhook"
SMS_NUMBER = "+33700000000"


@pytest.fixture
def settings(fake_telegram, fake_twilio) -> Settings:
    return Settings(
        telegram_bot_token=TOKEN, telegram_webhook_secret=SECRET,
        telegram_api_base_url=fake_telegram.url, twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN, twilio_api_base_url=fake_twilio.url, sms_sender=SMS_NUMBER,
        public_base_url=PUBLIC,
    )


@pytest.fixture
def app(db_url, settings, session_factory):
    from webhooks import create_app

    seed_teams(session_factory)
    jobs = Jobs(MemoryHuey("test", immediate=True), settings, session_factory=session_factory,
                limits=RateLimits({}))
    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "SETTINGS": settings, "JOBS": jobs})
    yield app
    for sender in jobs.senders().values():
        getattr(sender, "close", lambda: None)()


@pytest.fixture
def client(app):
    return app.test_client()


class Telegram:
    """Posts updates the way Telegram does."""

    def __init__(self, client):
        self.client = client

    def post(self, update: dict, secret: str | None = SECRET, **kwargs):
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return self.client.post("/webhooks/telegram", data=json.dumps(update),
                                content_type="application/json", headers=headers, **kwargs)


class Twilio:
    """Posts signed forms the way Twilio does, to the public URL the app is told about."""

    def __init__(self, client):
        self.client = client

    def post(self, path: str, form: dict, signature: str | None = None, **kwargs):
        signature = sign(AUTH_TOKEN, PUBLIC + path, form) if signature is None else signature
        return self.client.post(path, data=form, headers={"X-Twilio-Signature": signature}, **kwargs)


@pytest.fixture
def telegram(client) -> Telegram:
    return Telegram(client)


@pytest.fixture
def twilio(client) -> Twilio:
    return Twilio(client)
