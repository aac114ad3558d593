"""The fake providers answer the real SDKs as Telegram and Twilio do; no test leaves the machine."""
from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import requests
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tests.fakes import telegram as tg
from tests.fakes import twilio as tw
from tests.fakes.fixtures import fake_telegram, fake_twilio, no_real_network  # noqa: F401
from tests.fakes.no_network import RealNetworkBlocked, assert_no_attempts
from tests.fakes.server import FakeServer
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio

pytestmark = pytest.mark.usefixtures("no_real_network")


def with_bot(fake: FakeTelegram, use: Callable[[Bot], Awaitable[Any]], token: str = tg.TOKEN) -> Any:
    """Run `use(bot)` with a real PTB Bot pointed at the fake, on a fresh event loop."""
    async def run() -> Any:
        async with Bot(token, base_url=fake.base_url, base_file_url=fake.base_file_url) as bot:
            return await use(bot)
    return asyncio.run(run())


# -- server base ----------------------------------------------------------------------
def test_servers_listen_on_random_loopback_ports_and_stop() -> None:
    with FakeTelegram() as first, FakeTwilio() as second:
        assert first.url.startswith("http://127.0.0.1:") and first.port != second.port
    first.stop()  # stopping twice is harmless
    with pytest.raises(RuntimeError):
        first.url


# -- Telegram -------------------------------------------------------------------------
def test_bot_sends_answers_and_sets_a_webhook(fake_telegram: FakeTelegram) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Oui", callback_data="consent:yes")]])

    async def use(bot: Bot) -> Any:
        first = await bot.send_message(chat_id=42, text="Bonjour", reply_markup=keyboard)
        second = await bot.send_message(chat_id=42, text="Encore")
        answered = await bot.answer_callback_query("987654321")
        webhook = await bot.set_webhook("https://relais.example/telegram", secret_token="s3cr-et_",
                                        allowed_updates=["message", "callback_query"],
                                        drop_pending_updates=True)
        return bot.username, first, second, answered, webhook, await bot.get_webhook_info()

    username, first, second, answered, webhook, info = with_bot(fake_telegram, use)
    assert username == "relais_mobilite_bot"
    assert (first.message_id, second.message_id) == (1, 2)
    assert first.chat.id == 42 and first.text == "Bonjour"
    assert first.reply_markup == keyboard and second.reply_markup is None
    assert answered is True and webhook is True
    assert info.url == "https://relais.example/telegram"
    assert info.allowed_updates == ("message", "callback_query")
    assert fake_telegram.webhook["secret_token"] == "s3cr-et_"
    assert fake_telegram.webhook["drop_pending_updates"] is True
    assert fake_telegram.sent_messages()[0] == {
        "chat_id": 42, "text": "Bonjour",
        "reply_markup": {"inline_keyboard": [[{"text": "Oui", "callback_data": "consent:yes"}]]}}
    assert [m for m, _ in fake_telegram.calls][:2] == ["getMe", "sendMessage"]
    assert fake_telegram.count("sendMessage") == 2


def test_get_updates_honours_offset_and_long_polling(fake_telegram: FakeTelegram) -> None:
    for update_id in (10, 11, 12):
        fake_telegram.queue_update(tg.text_update(update_id, 42, f"message {update_id}"))

    async def use(bot: Bot) -> Any:
        everything = await bot.get_updates()
        after_confirming = await bot.get_updates(offset=12)
        nothing = await bot.get_updates(offset=13, timeout=0)
        threading.Timer(0.1, fake_telegram.queue_update, [tg.text_update(13, 42, "tard")]).start()
        woken = await bot.get_updates(offset=13, timeout=30)  # waits, then gets update 13
        fake_telegram.queue_update(tg.text_update(14, 42, "dernier"))
        return everything, after_confirming, nothing, woken, await bot.get_updates(offset=-1)

    everything, after_confirming, nothing, woken, last = with_bot(fake_telegram, use)
    assert [u.update_id for u in last] == [14]
    assert [u.update_id for u in everything] == [10, 11, 12]
    assert [u.update_id for u in after_confirming] == [12]
    assert nothing == ()
    assert [u.message.text for u in woken] == ["tard"]


def test_keyboards_are_removed_by_editing(fake_telegram: FakeTelegram) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Oui", callback_data="yes")]])

    async def use(bot: Bot) -> Any:
        sent = await bot.send_message(42, "Êtes-vous d'accord ?", reply_markup=keyboard)
        edited = await bot.edit_message_reply_markup(chat_id=42, message_id=sent.message_id)
        with pytest.raises(BadRequest, match="(?i)message is not modified"):
            await bot.edit_message_reply_markup(chat_id=42, message_id=sent.message_id)
        return edited

    edited = with_bot(fake_telegram, use)
    assert edited.text == "Êtes-vous d'accord ?" and edited.reply_markup is None


def test_get_updates_conflicts_with_a_webhook(fake_telegram: FakeTelegram) -> None:
    async def use(bot: Bot) -> Any:
        await bot.set_webhook("https://relais.example:8443/telegram")
        await bot.get_updates()

    with pytest.raises(Conflict, match="webhook is active"):
        with_bot(fake_telegram, use)


def test_voice_notes_are_downloaded_through_get_file(fake_telegram: FakeTelegram) -> None:
    fake_telegram.add_file("voice-1", b"OggS\x00fake-opus", file_path="voice/file_7.oga")

    async def use(bot: Bot) -> Any:
        file = await bot.get_file("voice-1")
        return file.file_path, bytes(await file.download_as_bytearray())

    file_path, content = with_bot(fake_telegram, use)
    assert file_path == f"{fake_telegram.url}/file/bot{tg.TOKEN}/voice/file_7.oga"
    assert content == b"OggS\x00fake-opus"


# PTB 22 warns on every RetryAfter it builds unless PTB_TIMEDELTA=1 is set.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
@pytest.mark.parametrize(("status", "error"), [
    (429, RetryAfter), (403, Forbidden), (500, NetworkError), (400, BadRequest)])
def test_programmed_failures_surface_as_ptb_errors(
    fake_telegram: FakeTelegram, status: int, error: type[Exception]
) -> None:
    fake_telegram.fail_next("sendMessage", status=status, retry_after=7, times=2)

    async def use(bot: Bot) -> Any:
        for _ in range(2):
            with pytest.raises(error) as caught:
                await bot.send_message(42, "Bonjour")
        return caught.value, await bot.send_message(42, "Bonjour")

    caught, message = with_bot(fake_telegram, use)
    assert message.message_id == 1
    if status == 429:
        assert str(caught) == "Flood control exceeded. Retry in 7 seconds"
    assert fake_telegram.count("sendMessage") == 3
    assert len(fake_telegram.sent_messages()) == 1  # only what got through


@pytest.mark.parametrize(("text", "markup", "message"), [
    ("", None, "message text is empty"),
    ("x" * 4097, None, "message is too long"),
    ("ok", InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]]),
     "BUTTON_DATA_INVALID"),
])
def test_send_message_is_validated_like_telegram(
    fake_telegram: FakeTelegram, text: str, markup: Any, message: str
) -> None:
    with pytest.raises(BadRequest, match=f"(?i){message}"):  # PTB drops "Bad Request: "
        with_bot(fake_telegram, lambda bot: bot.send_message(42, text, reply_markup=markup))


def test_blocked_person_and_wrong_token(fake_telegram: FakeTelegram) -> None:
    fake_telegram.block(42)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        with_bot(fake_telegram, lambda bot: bot.send_message(42, "Bonjour"))
    with pytest.raises(InvalidToken):
        with_bot(fake_telegram, lambda bot: bot.get_me(), token="999:not-the-token")


def test_raw_json_form_and_query_requests(fake_telegram: FakeTelegram) -> None:
    api = f"{fake_telegram.url}/bot{tg.TOKEN}"
    sent = requests.post(f"{api}/sendMessage", json={"chat_id": 7, "text": "123"}, timeout=5)
    assert sent.json()["result"]["text"] == "123"
    assert requests.post(f"{api}/sendMessage", data={"chat_id": "7", "text": "true"},
                         timeout=5).json()["ok"] is True
    assert requests.get(f"{api}/getUpdates", params={"offset": "1"}, timeout=5).json() == {
        "ok": True, "result": []}
    assert requests.get(f"{api}/noSuchMethod", timeout=5).status_code == 404
    assert requests.get(f"{fake_telegram.url}/bot999:x/getMe", timeout=5).json() == {
        "ok": False, "error_code": 401, "description": "Unauthorized"}
    assert fake_telegram.sent_messages() == [{"chat_id": 7, "text": "123"},
                                             {"chat_id": 7, "text": "true"}]
    assert fake_telegram.calls[-1] == ("getMe", {})


@pytest.mark.parametrize(("payload", "check"), [
    (tg.text_update(1, 42, "/start CAMPAGNE_95"),
     lambda u: u.message.text == "/start CAMPAGNE_95" and u.message.entities[0].type == "bot_command"
     and u.effective_user.language_code == "fr" and u.effective_chat.id == 42),
    (tg.callback_update(2, 42, "consent:yes", message_id=7),
     lambda u: u.callback_query.data == "consent:yes" and u.callback_query.message.message_id == 7),
    (tg.voice_update(3, 42, file_id="voice-9"),
     lambda u: u.message.voice.file_id == "voice-9" and u.message.voice.mime_type == "audio/ogg"),
    (tg.photo_update(4, 42, file_id="photo-9", caption="panneau"),
     lambda u: u.message.photo[-1].file_id == "photo-9" and u.message.caption == "panneau"),
    (tg.contact_update(5, 42, phone_number="33612345678"),
     lambda u: u.message.contact.phone_number == "33612345678" and u.message.contact.user_id == 42),
    (tg.edited_message_update(6, 42, "corrigé"),
     lambda u: u.message is None and u.edited_message.text == "corrigé"),
])
def test_update_builders_parse_with_ptb(payload: dict[str, Any], check: Callable[[Update], bool]) -> None:
    update = Update.de_json(payload, bot=None)
    assert update.update_id == payload["update_id"]
    assert check(update)


# -- Twilio ---------------------------------------------------------------------------
def test_client_creates_one_message(fake_twilio: FakeTwilio) -> None:
    client = Client(tw.ACCOUNT_SID, tw.AUTH_TOKEN,
                    http_client=tw.redirecting_http_client(fake_twilio.url))
    message = client.messages.create(to="+33612345678", from_="+33700000000", body="Bonjour",
                                     status_callback="http://127.0.0.1/x")
    assert fake_twilio.count() == 1
    assert fake_twilio.messages == [{"To": "+33612345678", "From": "+33700000000",
                                     "Body": "Bonjour", "StatusCallback": "http://127.0.0.1/x",
                                     "Sid": message.sid}]
    assert message.sid.startswith("SM") and len(message.sid) == 34
    assert (message.status, message.num_segments, message.error_code) == ("queued", "1", None)
    assert message.account_sid == tw.ACCOUNT_SID and message.date_created is not None
    fake_twilio.set_status(message.sid, "delivered")
    assert client.messages(message.sid).fetch().status == "delivered"


def test_messaging_service_and_media(fake_twilio: FakeTwilio) -> None:
    message = fake_twilio.client().messages.create(
        to="+33612345678", messaging_service_sid=tw.MESSAGING_SERVICE_SID, body="ê" * 71,
        media_url=["https://relais.example/a.jpg", "https://relais.example/b.jpg"])
    assert (message.status, message.from_, message.num_media) == ("accepted", None, "2")
    assert message.num_segments == "0"  # Twilio's answer when a Messaging Service sends
    assert fake_twilio.messages[0]["MediaUrl"] == ["https://relais.example/a.jpg",
                                                   "https://relais.example/b.jpg"]


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"from_": "+33700000000", "body": "x"}, 21604),
    ({"to": "0612345678", "from_": "+33700000000", "body": "x"}, 21211),
    ({"to": "+33612345678", "body": "x"}, 21603),
    ({"to": "+33612345678", "from_": "+33700000000"}, 21602),
    ({"to": "+33612345678", "from_": "+33700000000", "body": "x" * 1601}, 21617),
])
def test_invalid_creates_are_refused(fake_twilio: FakeTwilio, kwargs: dict[str, Any], code: int) -> None:
    kwargs.setdefault("to", "")
    with pytest.raises(TwilioRestException) as caught:
        fake_twilio.client().messages.create(**kwargs)
    assert (caught.value.code, caught.value.status) == (code, 400)
    assert fake_twilio.count() == 0


def test_programmed_failures_and_opt_out(fake_twilio: FakeTwilio) -> None:
    client = fake_twilio.client()
    fake_twilio.fail_next(status=429, times=2)
    fake_twilio.fail_next(code=21610)
    fake_twilio.fail_next(status=500)
    seen = []
    for _ in range(4):
        with pytest.raises(TwilioRestException) as caught:
            client.messages.create(to="+33612345678", from_="+33700000000", body="x")
        seen.append((caught.value.status, caught.value.code))
    assert seen == [(429, 20429), (429, 20429), (400, 21610), (500, 20500)]
    client.messages.create(to="+33612345678", from_="+33700000000", body="x")
    fake_twilio.unsubscribe("+33612345678")
    with pytest.raises(TwilioRestException, match="unsubscribed recipient"):
        client.messages.create(to="+33612345678", from_="+33700000000", body="x")
    assert fake_twilio.count() == 1 and len(fake_twilio.calls) == 6


def test_wrong_credentials_and_unknown_message(fake_twilio: FakeTwilio) -> None:
    wrong = Client(tw.ACCOUNT_SID, "wrong", http_client=tw.redirecting_http_client(fake_twilio.url))
    with pytest.raises(TwilioRestException) as caught:
        wrong.messages.create(to="+33612345678", from_="+33700000000", body="x")
    assert (caught.value.status, caught.value.code) == (401, 20003)
    with pytest.raises(TwilioRestException) as caught:
        fake_twilio.client().messages("SM" + "0" * 32).fetch()
    assert (caught.value.status, caught.value.code) == (404, 20404)


def test_inbound_media_needs_basic_auth(fake_twilio: FakeTwilio) -> None:
    url = fake_twilio.add_media("MM" + "1" * 32, b"\xff\xd8jpeg", "image/jpeg")
    answer = requests.get(url, auth=(tw.ACCOUNT_SID, tw.AUTH_TOKEN), timeout=5)
    assert (answer.status_code, answer.content) == (200, b"\xff\xd8jpeg")
    assert answer.headers["Content-Type"] == "image/jpeg"
    assert requests.get(url, timeout=5).status_code == 401


def test_a_call_recording_needs_basic_auth_in_mp3_or_wav(fake_twilio: FakeTwilio) -> None:
    sid = fake_twilio.add_recording(b"ID3mp3", wav=b"RIFFwav")
    url = f"{fake_twilio.url}/2010-04-01/Accounts/{tw.ACCOUNT_SID}/Recordings/{sid}"
    account = (tw.ACCOUNT_SID, tw.AUTH_TOKEN)
    mp3, wav = (requests.get(f"{url}.{ext}", auth=account, timeout=5) for ext in ("mp3", "wav"))
    assert (mp3.content, mp3.headers["Content-Type"]) == (b"ID3mp3", "audio/mpeg")
    assert (wav.content, wav.headers["Content-Type"]) == (b"RIFFwav", "audio/x-wav")
    assert requests.get(f"{url}.mp3", timeout=5).status_code == 401
    assert requests.get(f"{url}.mp3", auth=(tw.ACCOUNT_SID, "wrong"), timeout=5).status_code == 401
    assert requests.get(f"{url[:-5]}0000.mp3", auth=account, timeout=5).status_code == 404


@pytest.mark.parametrize(("url", "expected"), [
    ("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json", "http://fake/2010-04-01/Accounts/AC1/Messages.json"),
    ("https://api.dublin.ie1.twilio.com/x?a=1", "http://fake/x?a=1"),
    ("https://example.org/x", "https://example.org/x"),
    ("https://nottwilio.com/x", "https://nottwilio.com/x"),
])
def test_redirect_url(url: str, expected: str) -> None:
    assert tw.redirect_url(url, "http://fake/") == expected


def test_signature_matches_request_validator() -> None:
    url = "https://relais.example/twilio/sms"
    form = tw.inbound_sms("+33612345678", "38123", "Bonjour, j'ai besoin d'aide", sid="SM" + "2" * 32)
    assert RequestValidator(tw.AUTH_TOKEN).validate(url, form, tw.sign(tw.AUTH_TOKEN, url, form))
    assert not RequestValidator(tw.AUTH_TOKEN).validate(url, form, tw.sign("other", url, form))


def test_inbound_and_status_payloads() -> None:
    form = tw.inbound_sms("+33612345678", "+33700000000", "é" * 161,
                          media=[("https://api.twilio.com/m/ME1", "image/jpeg")])
    assert form["MessageSid"] == form["SmsSid"] == form["SmsMessageSid"]
    assert form["MessageSid"].startswith("MM")
    assert (form["FromCountry"], form["NumSegments"], form["NumMedia"]) == ("FR", "2", "1")
    assert form["MediaContentType0"] == "image/jpeg" and form["SmsStatus"] == "received"
    failed = tw.status_callback("SM" + "3" * 32, "undelivered", error_code=30003)
    assert (failed["MessageStatus"], failed["ErrorCode"]) == ("undelivered", "30003")
    assert "ErrorCode" not in tw.status_callback("SM" + "3" * 32, "delivered")


@pytest.mark.parametrize(("body", "count"), [
    ("Bonjour", 1), ("a" * 160, 1), ("a" * 161, 2), ("€" * 80, 1), ("€" * 81, 2),
    ("ê" * 70, 1), ("ê" * 71, 2), ("é" * 160, 1)])
def test_segments(body: str, count: int) -> None:
    assert tw.segments(body) == count


# -- network guard --------------------------------------------------------------------
def test_real_provider_hosts_are_refused(no_real_network: list[str]) -> None:
    with pytest.raises(RealNetworkBlocked):
        socket.create_connection(("api.twilio.com", 443), timeout=1)
    with pytest.raises(NetworkError):
        asyncio.run(Bot(tg.TOKEN).get_me())
    with pytest.raises(requests.ConnectionError):
        Client(tw.ACCOUNT_SID, tw.AUTH_TOKEN).messages.create(to="+33612345678", from_="+33700000000", body="x")
    with socket.socket() as sock, pytest.raises(RealNetworkBlocked):
        sock.connect(("8.8.8.8", 53))
    assert no_real_network == ["api.twilio.com:443", "api.telegram.org:443", "api.twilio.com:443",
                               "8.8.8.8:53"]
    with pytest.raises(pytest.fail.Exception, match="api.telegram.org:443"):
        assert_no_attempts(no_real_network)
    no_real_network.clear()  # refused as expected: do not fail this test at teardown


def test_fake_server_crashes_are_reported() -> None:
    with FakeServer() as server:
        assert requests.get(server.url, timeout=5).status_code == 500
    assert "NotImplementedError" in server.errors[0]
