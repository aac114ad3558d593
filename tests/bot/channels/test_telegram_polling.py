"""Long polling against FakeTelegram: every update handled once, in order, until stopped."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.channels.base import SendError
from bot.channels.telegram import TelegramSender, parse_update, poll
from bot.settings import Settings
from tests.fakes.telegram import TOKEN, FakeTelegram, callback_update, text_update, voice_update


@pytest.fixture
def sender(fake_telegram: FakeTelegram) -> Iterator[TelegramSender]:
    settings = Settings(telegram_bot_token=TOKEN, telegram_api_base_url=fake_telegram.url)
    with TelegramSender(settings) as sender:
        yield sender


class Poller:
    """poll() in a thread, recording the update ids it hands over."""

    def __init__(self, sender: TelegramSender, handle: Callable[[dict[str, Any]], None] | None = None):
        self.seen: list[int] = []
        self.stop = threading.Event()
        self._handle = handle
        self.thread = threading.Thread(target=poll, args=(sender, self.handle, self.stop),
                                       kwargs={"timeout": 1, "backoff": 0.05}, daemon=True)

    def handle(self, update: dict[str, Any]) -> None:
        self.seen.append(update["update_id"])
        if self._handle:
            self._handle(update)

    def __enter__(self) -> Poller:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive(), "poll() did not return after stop was set"

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 10
        while len(self.seen) < count and time.monotonic() < deadline:
            time.sleep(0.02)


def test_updates_are_handled_in_order_exactly_once(sender: TelegramSender,
                                                   fake_telegram: FakeTelegram) -> None:
    sender.set_webhook("https://relais.example.fr/webhooks/telegram", "secret")
    for update in (text_update(10, 42, "bonjour"), callback_update(11, 42, "consent:yes",
                   query_id="q-11"), voice_update(12, 42)):
        fake_telegram.queue_update(update)
    handled: list[Any] = []
    with Poller(sender, lambda update: handled.append(parse_update(update))) as poller:
        poller.wait_for(3)
        fake_telegram.queue_update(text_update(13, 42, "encore"))
        poller.wait_for(4)
        time.sleep(0.3)  # a few more polls: nothing comes twice
    assert poller.seen == [10, 11, 12, 13]
    assert [h.message.provider_id for h in handled] == ["10", "11", "12", "13"]
    assert handled[1].message.option_id == "consent:yes"
    names = [name for name, _ in fake_telegram.calls]
    assert names.index("deleteWebhook") < names.index("getUpdates")  # polling needs no webhook
    assert ("answerCallbackQuery", {"callback_query_id": "q-11"}) in fake_telegram.calls

    with Poller(sender) as again:  # a restart: everything handled was confirmed
        time.sleep(0.3)
    assert again.seen == []


def test_errors_are_survived(sender: TelegramSender, fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next("deleteWebhook", 500)
    fake_telegram.fail_next("getUpdates", 502, times=2)
    fake_telegram.fail_next("answerCallbackQuery", 400)
    fake_telegram.queue_update(callback_update(20, 42, "a", query_id="q-20"))
    fake_telegram.queue_update(text_update(21, 42, "boom"))
    fake_telegram.queue_update(text_update(22, 42, "ok"))

    def handle(update: dict[str, Any]) -> None:
        if update["update_id"] == 21:
            raise RuntimeError("a bug while handling one update")

    with Poller(sender, handle) as poller:
        poller.wait_for(3)
        time.sleep(0.2)
    assert poller.seen == [20, 21, 22]  # the failing one is skipped, not retried forever
    assert fake_telegram.count("getUpdates") >= 3


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter's int
def test_rate_limit_is_honoured(sender: TelegramSender, fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next("getUpdates", 429, retry_after=1)
    fake_telegram.queue_update(text_update(30, 42, "bonjour"))
    started = time.monotonic()
    with Poller(sender) as poller:
        poller.wait_for(1)
    assert poller.seen == [30] and time.monotonic() - started >= 1


def test_stop_before_start_returns_at_once(sender: TelegramSender, fake_telegram: FakeTelegram) -> None:
    stop = threading.Event()
    stop.set()
    poll(sender, lambda update: None, stop)
    assert fake_telegram.calls == []


def test_revoked_token_ends_polling() -> None:
    with FakeTelegram() as fake:
        settings = Settings(telegram_bot_token="999:revoked", telegram_api_base_url=fake.url)
        with TelegramSender(settings) as sender, pytest.raises(SendError) as caught:
            poll(sender, lambda update: None, threading.Event(), timeout=1, backoff=0.05)
    assert caught.value.permanent and caught.value.code == "401"
