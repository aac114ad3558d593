"""Telegram suggests the person's language; a tap changes it, and it is kept for them."""
from __future__ import annotations

from sqlalchemy import select

from flows.catalogue import text
from storage.models import Contact
from tests.fakes.telegram import callback_update, text_update

CHAT = 5550042


def language_of_the_person(session_factory) -> str:
    with session_factory() as session:
        return session.scalars(select(Contact.language)).one()


def test_the_app_language_starts_the_conversation_in_arabic(telegram, fake_telegram,
                                                           session_factory):
    telegram.post(text_update(2001, CHAT, "/start", language_code="ar"))
    [sent] = fake_telegram.sent_messages()
    assert sent["text"].startswith(text("resident.welcome", "ar"))
    buttons = [row[0]["text"] for row in sent["reply_markup"]["inline_keyboard"]]
    assert buttons == ["✅ نعم", "❌ لا", "🌐 Français", "🌐 English", "🌐 Español", "🌐 Українська"]
    assert language_of_the_person(session_factory) == "ar"


def test_a_tap_on_a_language_changes_it_and_keeps_it(telegram, fake_telegram, session_factory):
    telegram.post(text_update(2001, CHAT, "/start", language_code="de"))
    assert fake_telegram.sent_messages()[0]["text"].startswith(text("resident.welcome", "fr"))
    telegram.post(callback_update(2002, CHAT, "language_uk", language_code="de"))
    assert fake_telegram.sent_messages()[-1]["text"].startswith(text("resident.welcome", "uk"))
    assert language_of_the_person(session_factory) == "uk"
    telegram.post(callback_update(2003, CHAT, "yes", language_code="de"))
    assert fake_telegram.sent_messages()[-1]["text"] == text("resident.difficulties", "uk")
