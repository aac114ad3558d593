"""Setting the Telegram webhook, and running the bot by long polling, against the fake."""
from __future__ import annotations

import threading
import time

import pytest
from huey import MemoryHuey

from bot.delivery_limits import RateLimits
from bot.jobs import Jobs
from bot.runtime import Runtime
from bot.settings import Settings
from bot.telegram_cli import poll_into, set_webhook
from tests.fakes.telegram import TOKEN, text_update


@pytest.fixture
def settings(fake_telegram) -> Settings:
    return Settings(telegram_bot_token=TOKEN, telegram_api_base_url=fake_telegram.url,
                    telegram_webhook_secret="s3cret-token", public_base_url="https://relais.example.fr")


def test_the_webhook_is_set_with_its_secret_and_the_updates_we_use(settings, fake_telegram):
    assert set_webhook(settings) == "https://relais.example.fr/webhooks/telegram"
    assert fake_telegram.webhook["secret_token"] == "s3cret-token"
    assert sorted(fake_telegram.webhook["allowed_updates"]) == ["callback_query", "message"]


def test_setting_the_webhook_without_a_secret_says_how_to_make_one(settings):
    with pytest.raises(SystemExit, match="TELEGRAM_WEBHOOK_SECRET"):
        set_webhook(Settings(**{**settings.__dict__, "telegram_webhook_secret": ""}))


def test_long_polling_answers_a_person_with_no_public_url(settings, fake_telegram, session_factory):
    jobs = Jobs(MemoryHuey("poll", immediate=True), settings, session_factory=session_factory,
                limits=RateLimits({}))
    stop = threading.Event()
    fake_telegram.queue_update(text_update(1, 777, "Bonjour"))
    fake_telegram.queue_update(text_update(2, 777, "oui"))
    thread = threading.Thread(target=poll_into,
                              args=(settings, Runtime(session_factory), jobs.enqueue_delivery, stop))
    thread.start()
    deadline = time.monotonic() + 10
    while len(fake_telegram.sent_messages()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(10)
    texts = [m["text"] for m in fake_telegram.sent_messages()]
    assert texts[0].startswith("Relais Mobilité, bonjour !")
    assert texts[1].startswith("Qu'est-ce qui est difficile")
    assert not thread.is_alive()
