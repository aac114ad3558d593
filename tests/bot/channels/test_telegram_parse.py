"""Telegram updates, as Telegram posts them, become exactly these neutral messages."""
from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bot.channels.telegram import (
    MalformedUpdate, ParsedUpdate, callback_answer, parse_command, parse_update,
)
from bot.inbound import InboundMessage
from tests.fakes import telegram_payloads as tg


def said(text: str = "", update_id: int = 1, **fields: Any) -> InboundMessage:
    """The message expected from chat 42 (language "fr" unless told)."""
    fields.setdefault("language_hint", "fr")
    return InboundMessage(channel="telegram", address="42", text=text,
                          provider_id=str(update_id), **fields)


def bare(update_id: int, **content: Any) -> dict[str, Any]:
    """A private-chat message of chat 42 with only `content` (no sender, no language)."""
    message = {"message_id": 5, "date": tg.DATE, "chat": {"id": 42, "type": "private"}, **content}
    return {"update_id": update_id, "message": message}


MY_CHAT_MEMBER = {
    "update_id": 30,
    "my_chat_member": {
        "chat": {"id": 42, "type": "private", "first_name": "Awa"},
        "from": {"id": 42, "is_bot": False, "first_name": "Awa"},
        "date": tg.DATE,
        "old_chat_member": {"user": tg.BOT_USER, "status": "member"},
        "new_chat_member": {"user": tg.BOT_USER, "status": "kicked", "until_date": 0},
    },
}

MESSAGES = [
    ("text", tg.text_update(1, 42, "bonjour"), said("bonjour")),
    ("emoji", tg.text_update(2, 42, "🚗❌ pas de voiture 👍🏽"),
     said("🚗❌ pas de voiture 👍🏽", 2)),
    ("right-to-left Arabic", tg.text_update(3, 42, "ليس لدي سيارة", language_code="ar"),
     said("ليس لدي سيارة", 3, language_hint="ar")),
    ("markup stays text", tg.text_update(4, 42, "<script>alert('x')</script>"),
     said("<script>alert('x')</script>", 4)),
    ("no language", tg.text_update(5, 42, "oui", language_code=None),
     said("oui", 5, language_hint=None)),
    ("deep link", tg.text_update(6, 42, "/start CAMPAGNE_95"),
     said(update_id=6, command="start", payload="CAMPAGNE_95")),
    ("command for a named bot", tg.text_update(7, 42, "/start@relais_bot"),
     said(update_id=7, command="start")),
    ("command case", tg.text_update(8, 42, "/AIDE@Relais_Bot"), said(update_id=8, command="aide")),
    ("payload of 64 chars", tg.text_update(9, 42, "/start " + "a-Z_9" * 12 + "abcd"),
     said(update_id=9, command="start", payload="a-Z_9" * 12 + "abcd")),
    ("payload too long is dropped", tg.text_update(10, 42, "/start " + "a" * 65),
     said(update_id=10, command="start")),
    ("payload with spaces is dropped", tg.text_update(11, 42, "/start deux mots"),
     said(update_id=11, command="start")),
    ("payload with accents is dropped", tg.text_update(12, 42, "/start été"),
     said(update_id=12, command="start")),
    ("a lone slash is text", tg.text_update(13, 42, "/"), said("/", 13)),
    ("a slash word that is no command", tg.text_update(14, 42, "/é"), said("/é", 14)),
    ("voice note", tg.voice_update(15, 42, file_id="voice-9", duration=7),
     said(update_id=15, media=({"kind": "voice", "ref": "voice-9", "duration": 7},))),
    ("photo with caption", tg.photo_update(16, 42, file_id="photo-9", caption="panneau cassé"),
     said("panneau cassé", 16, media=({"kind": "photo", "ref": "photo-9"},))),
    ("photo without caption", tg.photo_update(17, 42, file_id="photo-8"),
     said(update_id=17, media=({"kind": "photo", "ref": "photo-8"},))),
    ("own phone number shared", tg.contact_update(18, 42, phone_number="33612345678"),
     said("+33612345678", 18)),
    ("someone else's number is not an answer",
     {"update_id": 19, "message": {**tg.contact_update(19, 42)["message"],
                                   "contact": {"phone_number": "+33600000000", "first_name": "B",
                                               "user_id": 7}}},
     said(update_id=19)),
    ("a sticker is an empty message", bare(20, sticker=None, dice={"emoji": "🎲", "value": 3}),
     said(update_id=20, language_hint=None)),
    ("group chat", {"update_id": 21, "message": {
        "message_id": 1, "date": tg.DATE, "text": "salut",
        "chat": {"id": -1001234567890, "type": "supergroup", "title": "Asso"}}},
     InboundMessage("telegram", "-1001234567890", "salut", provider_id="21")),
]


@pytest.mark.parametrize(("payload", "expected"), [(p, e) for _, p, e in MESSAGES],
                         ids=[name for name, _, _ in MESSAGES])
def test_messages(payload: dict[str, Any], expected: InboundMessage) -> None:
    assert parse_update(payload) == ParsedUpdate(expected)


@pytest.mark.parametrize(("data", "option"), [
    ("consent:yes", "consent:yes"),
    ("é" * 32, "é" * 32),  # 64 bytes: the most Telegram allows
    ("é" * 32 + "x", None),  # 65 bytes: not one of our buttons, answered and dropped
])
def test_button_taps(data: str, option: str | None) -> None:
    payload = tg.callback_update(22, 42, data, query_id="q-1")
    message = said(update_id=22, option_id=option) if option else None
    assert parse_update(payload) == ParsedUpdate(message, "q-1")


def test_button_of_an_inline_message_is_only_answered() -> None:
    payload = tg.callback_update(23, 42, "x", query_id="q-2")
    query = {k: v for k, v in payload["callback_query"].items() if k != "message"}
    query["inline_message_id"] = "AAA"
    assert parse_update({"update_id": 23, "callback_query": query}) == ParsedUpdate(None, "q-2")


@pytest.mark.parametrize("payload", [
    tg.edited_message_update(24, 42, "corrigé"),
    MY_CHAT_MEMBER,
    {"update_id": 25, "channel_post": {"message_id": 1, "date": tg.DATE, "text": "x",
                                       "chat": {"id": -100, "type": "channel"}}},
    {"update_id": 26, "some_future_update": {"anything": [1, 2]}},
    {"update_id": 27},
    bare(28) | {"message": {"message_id": 1, "date": tg.DATE, "text": "no chat"}},
], ids=["edited message", "my_chat_member", "channel post", "unknown type", "empty",
        "message without chat"])
def test_ignored_updates(payload: dict[str, Any]) -> None:
    assert parse_update(payload) is None


@pytest.mark.parametrize("payload", [
    None, [], "update", 42, {},
    {"update_id": "1", "message": tg.text_update(1, 42, "x")["message"]},
    {"update_id": True},
    {"update_id": 1, "message": "bonjour"},
    {"update_id": 1, "message": {"text": "no date, no chat"}},
    {"update_id": 1, "message": {"message_id": 1, "date": "hier", "chat": {"id": 1, "type": "private"}}},
    {"update_id": 1, "message": {"message_id": 1, "date": 10**15, "chat": {"id": 1, "type": "private"}}},
    {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 1}}},
    bare(1, text=["not", "a", "string"]),
    bare(1, voice={"file_id": "v"}),
    bare(1, photo="not a list"),
    {"update_id": 1, "message": {**bare(1)["message"], "chat": {"id": "42", "type": "private"}}},
    {"update_id": 1, "callback_query": {"id": "q", "chat_instance": "c", "data": 5,
                                        "from": {"id": 1, "is_bot": False, "first_name": "A"}}},
], ids=lambda payload: repr(payload)[:40])
def test_malformed_payloads_raise_one_exception(payload: Any) -> None:
    with pytest.raises(MalformedUpdate):
        parse_update(payload)


@pytest.mark.parametrize("payload", [
    tg.text_update(1, 42, "/start CAMPAGNE_95"), tg.callback_update(2, 42, "a:b"),
    tg.voice_update(3, 42), tg.photo_update(4, 42, caption="c"), tg.contact_update(5, 42),
])
def test_polled_updates_parse_like_posted_ones(payload: dict[str, Any]) -> None:
    """Long polling hands over PTB's to_dict() of an update: the result is the same."""
    assert parse_update(Update.de_json(payload, bot=None).to_dict()) == parse_update(payload)


@pytest.mark.parametrize(("text", "expected"), [
    ("/start", ("start", None)), ("  /Start  ABC-1_x  ", ("start", "ABC-1_x")),
    ("/start@relais_mobilite_bot XYZ", ("start", "XYZ")), ("/stop\n", ("stop", None)),
    ("/start\nABC", ("start", "ABC")), ("bonjour /start", (None, None)),
    ("/" + "a" * 33, (None, None)), ("", (None, None)),
])
def test_parse_command(text: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_command(text) == expected


def test_callback_answer_is_a_webhook_reply() -> None:
    assert callback_answer("q-1") == {"method": "answerCallbackQuery", "callback_query_id": "q-1"}
