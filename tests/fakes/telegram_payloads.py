"""Builders of Telegram updates shaped like the ones Telegram posts (Bot API JSON)."""
from __future__ import annotations

from typing import Any

TOKEN = "123456789:AAF-fake_token_for_tests_0123456789"  # the shape of a real token
DATE = 1767225600  # 2026-01-01T00:00:00Z: recorded payloads carry a fixed date
BOT_USER = {"id": int(TOKEN.split(":")[0]), "is_bot": True,
            "first_name": "Relais Mobilité", "username": "relais_mobilite_bot"}
Payload = dict[str, Any]


def _user(chat_id: int, first_name: str, language_code: str | None) -> Payload:
    """The person (a private chat's id is the user's id)."""
    user: Payload = {"id": chat_id, "is_bot": False, "first_name": first_name}
    if language_code:
        user["language_code"] = language_code
    return user


def _message(chat_id: int, message_id: int, first_name: str, language_code: str | None,
             date: int, **content: Any) -> Payload:
    """A message the person sent in their private chat with the bot."""
    return {"message_id": message_id, "from": _user(chat_id, first_name, language_code),
            "chat": {"id": chat_id, "first_name": first_name, "type": "private"},
            "date": date, **content}


def _text(text: str) -> Payload:
    """Text content; a leading /command gets its bot_command entity, as Telegram adds it."""
    content: Payload = {"text": text}
    if text.startswith("/"):
        command = text.split()[0]
        content["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
    return content


def text_update(update_id: int, chat_id: int, text: str, first_name: str = "Awa",
                language_code: str | None = "fr", message_id: int | None = None,
                date: int = DATE) -> Payload:
    """A text message, e.g. "bonjour" or "/start CAMPAGNE_95"."""
    message = _message(chat_id, message_id or update_id, first_name, language_code, date,
                       **_text(text))
    return {"update_id": update_id, "message": message}


def callback_update(update_id: int, chat_id: int, data: str, message_id: int = 1,
                    first_name: str = "Awa", language_code: str | None = "fr",
                    message_text: str = "Choisissez :", query_id: str | None = None,
                    date: int = DATE) -> Payload:
    """A press on an inline button (callback_data `data`) under bot message `message_id`."""
    bot_message = {"message_id": message_id, "from": BOT_USER,
                   "chat": {"id": chat_id, "first_name": first_name, "type": "private"},
                   "date": date, "text": message_text,
                   "reply_markup": {"inline_keyboard": [[{"text": data, "callback_data": data}]]}}
    query = {"id": query_id or str(4_000_000_000_000_000_000 + update_id),
             "from": _user(chat_id, first_name, language_code), "message": bot_message,
             "chat_instance": str(-8_000_000_000_000_000_000 + chat_id), "data": data}
    return {"update_id": update_id, "callback_query": query}


def voice_update(update_id: int, chat_id: int, file_id: str = "voice-1", duration: int = 4,
                 file_size: int = 9_000, first_name: str = "Awa",
                 language_code: str | None = "fr", message_id: int | None = None,
                 date: int = DATE) -> Payload:
    """A voice note (OGG/Opus); download it with getFile(file_id)."""
    voice = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "duration": duration,
             "mime_type": "audio/ogg", "file_size": file_size}
    message = _message(chat_id, message_id or update_id, first_name, language_code, date,
                       voice=voice)
    return {"update_id": update_id, "message": message}


def photo_update(update_id: int, chat_id: int, file_id: str = "photo-1",
                 caption: str | None = None, first_name: str = "Awa",
                 language_code: str | None = "fr", message_id: int | None = None,
                 date: int = DATE) -> Payload:
    """A photo in three sizes; the last (largest) one has `file_id`."""
    sizes = [(90, 68, f"{file_id}-s"), (320, 240, f"{file_id}-m"), (1280, 960, file_id)]
    photo = [{"file_id": fid, "file_unique_id": f"u-{fid}", "width": w, "height": h,
              "file_size": w * h // 10} for w, h, fid in sizes]
    content: Payload = {"photo": photo}
    if caption:
        content["caption"] = caption
    message = _message(chat_id, message_id or update_id, first_name, language_code, date,
                       **content)
    return {"update_id": update_id, "message": message}


def contact_update(update_id: int, chat_id: int, phone_number: str = "33612345678",
                   first_name: str = "Awa", language_code: str | None = "fr",
                   message_id: int | None = None, date: int = DATE) -> Payload:
    """The person shared their own phone number (request_contact button; no leading +)."""
    contact = {"phone_number": phone_number, "first_name": first_name, "user_id": chat_id}
    message = _message(chat_id, message_id or update_id, first_name, language_code, date,
                       contact=contact)
    return {"update_id": update_id, "message": message}


def edited_message_update(update_id: int, chat_id: int, text: str, message_id: int = 1,
                          first_name: str = "Awa", language_code: str | None = "fr",
                          date: int = DATE) -> Payload:
    """An edit of an earlier message (an update type the bot ignores)."""
    message = _message(chat_id, message_id, first_name, language_code, date,
                       edit_date=date + 60, **_text(text))
    return {"update_id": update_id, "edited_message": message}
