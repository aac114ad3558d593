"""POST /webhooks/telegram with recorded updates: authentic, idempotent, never a 500."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from storage.models import Message
from tests.fakes.telegram import callback_update, edited_message_update, photo_update, text_update

CHAT = 5550001


def stored(session_factory) -> list[Message]:
    with session_factory() as session:
        return list(session.scalars(select(Message).where(Message.direction == "in")))


def test_a_message_is_stored_handled_and_answered_once(telegram, fake_telegram, session_factory):
    response = telegram.post(text_update(1001, CHAT, "Bonjour"))
    assert response.status_code == 200 and response.get_json() == {}
    [message] = stored(session_factory)
    assert (message.channel, message.provider_id, message.body) == ("telegram", "1001", "Bonjour")
    [sent] = fake_telegram.sent_messages()
    assert sent["chat_id"] == CHAT and sent["text"].startswith("Relais Mobilité, bonjour !")
    buttons = sent["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in buttons][:3] == ["✅ Oui", "❌ Non", "🌐 English"]
    assert [row[0]["callback_data"] for row in buttons][:3] == ["yes", "no", "language_en"]


@pytest.mark.parametrize("secret, status", [
    ("wrong-secret", 403), ("", 403), (None, 403), ("le-secret_du-webhook ", 403),
])
def test_a_forged_or_missing_secret_is_refused_and_nothing_stored(telegram, fake_telegram,
                                                                   session_factory, secret, status):
    response = telegram.post(text_update(1002, CHAT, "Bonjour"), secret=secret)
    assert response.status_code == status
    assert stored(session_factory) == [] and fake_telegram.sent_messages() == []


def test_a_replayed_update_is_acknowledged_and_does_nothing(telegram, fake_telegram, session_factory):
    update = text_update(1003, CHAT, "Bonjour")
    assert telegram.post(update).status_code == 200
    assert telegram.post(update).status_code == 200
    assert len(stored(session_factory)) == 1 and len(fake_telegram.sent_messages()) == 1


@pytest.mark.parametrize("body", [
    "{not json", "[]", '"text"', "null", json.dumps({"update_id": "abc", "message": {}}),
    json.dumps({"update_id": 7, "message": {"chat": "nope"}}),
])
def test_a_malformed_body_gets_400(telegram, client, body, session_factory):
    response = client.post("/webhooks/telegram", data=body, content_type="application/json",
                           headers={"X-Telegram-Bot-Api-Secret-Token": "le-secret_du-webhook"})
    assert response.status_code == 400 and stored(session_factory) == []


def test_a_huge_body_gets_413(client, session_factory):
    body = json.dumps(text_update(1004, CHAT, "x" * 300_000))
    response = client.post("/webhooks/telegram", data=body, content_type="application/json",
                           headers={"X-Telegram-Bot-Api-Secret-Token": "le-secret_du-webhook"})
    assert response.status_code == 413 and stored(session_factory) == []


def test_an_update_type_we_do_not_use_is_acknowledged(telegram, session_factory, fake_telegram):
    response = telegram.post(edited_message_update(1005, CHAT, "corrigé"))
    assert response.status_code == 200 and stored(session_factory) == []
    assert fake_telegram.sent_messages() == []


@pytest.mark.parametrize("text", [
    "🚗🚌 j'ai pas de voiture 😢", "مرحبا، ليس لدي سيارة", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "‮txet", "a\u0000b",
])
def test_odd_text_is_kept_exactly_and_answered(telegram, session_factory, fake_telegram, text):
    assert telegram.post(text_update(1006, CHAT, text)).status_code == 200
    [message] = stored(session_factory)
    assert message.body == text.replace("\x00", "")  # no database keeps a NUL character
    assert len(fake_telegram.sent_messages()) == 1


def test_a_button_tap_is_answered_in_the_webhook_response(telegram, fake_telegram, session_factory):
    telegram.post(text_update(1007, CHAT, "Bonjour"))
    response = telegram.post(callback_update(1008, CHAT, "yes"))
    answer = response.get_json()
    assert answer["method"] == "answerCallbackQuery" and answer["callback_query_id"]
    assert fake_telegram.sent_messages()[-1]["text"].startswith("Qu'est-ce qui est difficile")


def test_a_photo_is_stored_as_a_media_reference(telegram, session_factory):
    telegram.post(photo_update(1009, CHAT, file_id="photo-abc", caption="mon bus"))
    [message] = stored(session_factory)
    assert message.media == [{"kind": "photo", "ref": "photo-abc"}] and message.body == "mon bus"


def test_two_messages_at_once_are_handled_one_after_the_other(app, session_factory):
    import threading

    start = threading.Barrier(2)

    def post(update_id: int, text: str) -> None:
        client = app.test_client()
        start.wait()
        client.post("/webhooks/telegram", data=json.dumps(text_update(update_id, CHAT, text)),
                    content_type="application/json",
                    headers={"X-Telegram-Bot-Api-Secret-Token": "le-secret_du-webhook"})

    threads = [threading.Thread(target=post, args=(2000 + n, t)) for n, t in enumerate(["Bonjour", "oui"])]
    [t.start() for t in threads]
    [t.join() for t in threads]
    from storage.models import Conversation

    with session_factory() as session:
        assert session.scalar(select(func.count(Message.id)).where(Message.direction == "in")) == 2
        conversation = session.scalars(select(Conversation)).one()
        assert conversation.version == 3  # created, then one saved turn per message, in turn
