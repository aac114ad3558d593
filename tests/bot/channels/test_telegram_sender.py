"""The Telegram sender, with the real PTB Bot, against FakeTelegram over real HTTP."""
from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from bot.channels.base import SendError
from bot.channels.telegram import TelegramSender
from bot.channels.telegram_sender import fit_text, keyboard
from bot.settings import Settings
from tests.fakes.telegram import TOKEN, FakeTelegram

BUTTONS = [
    {"id": "consent:yes", "label": "Oui", "pictogram": "✅"},
    {"id": "consent:no", "label": "Non", "pictogram": ""},
]


def settings_for(url: str, token: str = TOKEN) -> Settings:
    return Settings(telegram_bot_token=token, telegram_api_base_url=url)


@pytest.fixture
def sender(fake_telegram: FakeTelegram) -> Iterator[TelegramSender]:
    with TelegramSender(settings_for(fake_telegram.url)) as sender:
        yield sender


def test_message_with_buttons_reaches_telegram(sender: TelegramSender, fake_telegram: FakeTelegram) -> None:
    assert sender.send("42", "Vous êtes d'accord ?", BUTTONS) == "42:1"  # chat:message id
    assert sender.send("42", "Merci", None) == "42:2"
    assert fake_telegram.sent_messages() == [
        {"chat_id": 42, "text": "Vous êtes d'accord ?", "reply_markup": {"inline_keyboard": [
            [{"text": "✅ Oui", "callback_data": "consent:yes"}],
            [{"text": "Non", "callback_data": "consent:no"}]]}},
        {"chat_id": 42, "text": "Merci"},
    ]
    assert [name for name, _ in fake_telegram.calls] == ["getMe", "sendMessage", "sendMessage"]


def test_one_bot_serves_many_threads(sender: TelegramSender, fake_telegram: FakeTelegram) -> None:
    ids: list[str] = []
    threads = [threading.Thread(target=lambda n=n: ids.append(sender.send(str(n), "Bonjour", None)))
               for n in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    chats, numbers = zip(*(i.split(":") for i in ids))
    assert sorted(chats, key=int) == [str(n) for n in range(1, 9)]
    assert sorted(numbers, key=int) == [str(n) for n in range(1, 9)]
    assert fake_telegram.count("getMe") >= 1 and fake_telegram.count("sendMessage") == 8


def test_oversized_button_id_is_left_out(sender: TelegramSender, fake_telegram: FakeTelegram) -> None:
    sender.send("42", "Choisissez", [{"id": "x" * 65, "label": "Trop long"}, BUTTONS[1]])
    assert fake_telegram.sent_messages()[0]["reply_markup"] == {
        "inline_keyboard": [[{"text": "Non", "callback_data": "consent:no"}]]}


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter's int
@pytest.mark.parametrize(("fail", "expected"), [
    (lambda fake: fake.fail_next("sendMessage", 429, retry_after=7),
     {"code": "429", "retry_after": 7.0, "blocked": False, "permanent": False}),
    (lambda fake: fake.block(42),
     {"code": "403", "retry_after": None, "blocked": True, "permanent": True}),
    (lambda fake: fake.fail_next("sendMessage", 400),
     {"code": "400", "retry_after": None, "blocked": False, "permanent": True}),
    (lambda fake: fake.fail_next("sendMessage", 500),
     {"code": "network", "retry_after": None, "blocked": False, "permanent": False}),
    (lambda fake: fake.fail_next("sendMessage", 502),
     {"code": "network", "retry_after": None, "blocked": False, "permanent": False}),
], ids=["429", "403 blocked", "400", "500", "502"])
def test_errors_say_what_to_do(sender: TelegramSender, fake_telegram: FakeTelegram, fail, expected) -> None:
    fail(fake_telegram)
    with pytest.raises(SendError) as caught:
        sender.send("42", "Bonjour", None)
    error = caught.value
    assert {"code": error.code, "retry_after": error.retry_after, "blocked": error.blocked,
            "permanent": error.permanent} == expected
    assert fake_telegram.sent_messages() == []


def test_retry_after_as_timedelta(sender: TelegramSender, fake_telegram: FakeTelegram,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22.2+ gives a timedelta when PTB_TIMEDELTA is set (the future default)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    fake_telegram.fail_next("sendMessage", 429, retry_after=12)
    with pytest.raises(SendError) as caught:
        sender.send("42", "Bonjour", None)
    assert caught.value.retry_after == 12.0 and not caught.value.permanent


def test_wrong_token_is_permanent_and_never_shown(fake_telegram: FakeTelegram) -> None:
    with TelegramSender(settings_for(fake_telegram.url, token="999:secret-token")) as sender:
        with pytest.raises(SendError) as caught:
            sender.send("42", "Bonjour", None)
    assert caught.value.permanent and caught.value.code == "401"
    assert "secret-token" not in str(caught.value) and caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_unreachable_api_is_transient() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"  # nobody listens there
    with TelegramSender(settings_for(url)) as sender, pytest.raises(SendError) as caught:
        sender.send("42", "Bonjour", None)
    assert (caught.value.code, caught.value.permanent) == ("network", False)


def test_silent_api_times_out_as_transient() -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with TelegramSender(settings_for(url), read_timeout=0.3) as sender:
            with pytest.raises(SendError) as caught:
                sender.send("42", "Bonjour", None)
    assert (caught.value.code, caught.value.permanent) == ("timeout", False)


def test_empty_message_is_not_sent(sender: TelegramSender, fake_telegram: FakeTelegram) -> None:
    with pytest.raises(SendError) as caught:
        sender.send("42", "  ", BUTTONS)
    assert caught.value.permanent and fake_telegram.calls == []


def test_webhook_callbacks_updates_and_files(sender: TelegramSender, fake_telegram: FakeTelegram) -> None:
    assert sender.set_webhook("https://relais.example.fr/webhooks/telegram", "s3cr-et_",
                              drop_pending_updates=True) is True
    assert fake_telegram.webhook == {
        "url": "https://relais.example.fr/webhooks/telegram", "secret_token": "s3cr-et_",
        "allowed_updates": ["message", "callback_query"], "drop_pending_updates": True,
        "max_connections": None}
    assert sender.delete_webhook() is True and fake_telegram.webhook == {}
    assert sender.answer_callback_query("q-7") is True
    assert ("answerCallbackQuery", {"callback_query_id": "q-7"}) in fake_telegram.calls
    fake_telegram.add_file("voice-1", b"OggS\x00opus")
    assert sender.download_file("voice-1") == b"OggS\x00opus"


def test_get_updates_returns_json_dicts(sender: TelegramSender, fake_telegram: FakeTelegram) -> None:
    from tests.fakes.telegram import text_update

    fake_telegram.queue_update(text_update(10, 42, "bonjour"))
    [update] = sender.get_updates(None, timeout=0)
    assert update["update_id"] == 10 and update["message"]["text"] == "bonjour"
    assert update["message"]["from"]["id"] == 42 and update["message"]["date"] == 1767225600
    assert sender.get_updates(11, timeout=0) == []


def test_closed_sender_refuses_and_stops_its_thread(fake_telegram: FakeTelegram) -> None:
    sender = TelegramSender(settings_for(fake_telegram.url))
    sender.send("42", "Bonjour", None)
    sender.close()
    sender.close()  # twice is fine
    assert not sender._thread.is_alive()
    with pytest.raises(SendError, match="closed"):
        sender.send("42", "Encore", None)


def test_missing_token_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="TELEGRAM_BOT_TOKEN"):
        TelegramSender(Settings())


@pytest.mark.parametrize(("text", "expected"), [
    ("court", "court"),
    ("a" * 4096, "a" * 4096),
    ("mot " * 1100, ("mot " * 1023).rstrip() + "…"),
    ("a" * 5000, "a" * 4095 + "…"),
    ("😀" * 2049, "😀" * 2047 + "…"),  # an emoji counts two, as Telegram counts
])
def test_fit_text(text: str, expected: str) -> None:
    assert fit_text(text) == expected
    assert len(fit_text(text).encode("utf-16-le")) // 2 <= 4096


def test_keyboard() -> None:
    assert keyboard(None) is None and keyboard([]) is None
    assert keyboard([{"id": "", "label": "x"}]) is None
    markup = keyboard([{"id": "a" * 64, "label": "  Oui ", "pictogram": "✅"}, {"id": "b"}])
    assert markup.to_dict() == {"inline_keyboard": [
        [{"text": "✅ Oui", "callback_data": "a" * 64}], [{"text": "b", "callback_data": "b"}]]}
