"""Telegram adapter, inbound side: a Bot API update in, a neutral InboundMessage out.

Only the message and callback_query update types are read (the webhook and long polling
both ask Telegram for nothing else); any other type is ignored. A payload PTB cannot
parse raises MalformedUpdate, which the webhook answers with 400.

The sender (bot.channels.telegram_sender) and long polling (bot.channels.telegram_polling)
are re-exported here, so the rest of the project imports one module per channel.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from telegram import CallbackQuery, Message, Update, User

from bot.channels.telegram_polling import poll
from bot.channels.telegram_sender import ALLOWED_UPDATES, TelegramSender
from bot.inbound import InboundMessage

CHANNEL = "telegram"
MAX_CALLBACK_DATA = 64  # bytes, a Bot API limit

# "/start", "/start@relais_bot", "/start PAYLOAD": commands are 1-32 letters, digits or _.
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+(.*))?", re.DOTALL)
# A deep-link payload (t.me/bot?start=PAYLOAD): up to 64 of A-Z a-z 0-9 _ -.
_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_PARSE_ERRORS = (TypeError, ValueError, KeyError, AttributeError, OverflowError)


class MalformedUpdate(ValueError):
    """The body is not a Telegram update (the webhook answers 400)."""


@dataclass(frozen=True)
class ParsedUpdate:
    """What an update means: a message for the runtime and/or a callback query to answer."""

    message: InboundMessage | None
    callback_query_id: str | None = None


def parse_update(payload: Any) -> ParsedUpdate | None:
    """The update as neutral data; None for update types the bot ignores."""
    update = _de_json(payload)
    if update.callback_query is not None:
        return _from_callback(update.update_id, update.callback_query)
    if update.message is not None:
        message = _from_message(update.update_id, update.message)
        return None if message is None else ParsedUpdate(message)
    return None


def callback_answer(callback_query_id: str) -> dict[str, str]:
    """A webhook response body that answers the callback query (no extra API call).

    The Bot API runs a method given in the webhook's answer ("Making requests when
    getting updates"); its result is never known, which is fine for stopping a spinner.
    """
    return {"method": "answerCallbackQuery", "callback_query_id": callback_query_id}


def _de_json(payload: Any) -> Update:
    """PTB's parse of the payload, or MalformedUpdate."""
    if not isinstance(payload, dict):
        raise MalformedUpdate(f"an update is a JSON object, not {type(payload).__name__}")
    try:
        update = Update.de_json(payload, bot=None)
    except _PARSE_ERRORS as error:
        raise MalformedUpdate(f"not a Telegram update: {type(error).__name__}") from error
    if not _is_int(update.update_id):
        raise MalformedUpdate("update_id is not an integer")
    return update


def _from_message(update_id: int, message: Message) -> InboundMessage | None:
    """A message the person sent; None when it has no chat to answer in."""
    if message.chat is None:
        return None
    text = _string(message.text) or _string(message.caption) or _shared_phone(message)
    command, payload = parse_command(text)
    return InboundMessage(
        channel=CHANNEL,
        address=_chat_address(message),
        text="" if command else text,  # as the simulator: a command is not text
        command=command,
        payload=payload,
        media=_media(message),
        provider_id=str(update_id),
        language_hint=_language(message.from_user),
    )


def _from_callback(update_id: int, query: CallbackQuery) -> ParsedUpdate:
    """A tap on an inline button: the option, in the chat of the message it was under."""
    query_id = _string(query.id) or None
    data = _string(query.data)
    chat = query.message.chat if query.message is not None else None
    if chat is None or not data or len(data.encode()) > MAX_CALLBACK_DATA:
        return ParsedUpdate(None, query_id)  # an inline-mode or foreign button: just answer
    message = InboundMessage(
        channel=CHANNEL,
        address=_chat_address(query.message),
        option_id=data,
        provider_id=str(update_id),
        language_hint=_language(query.from_user),
    )
    return ParsedUpdate(message, query_id)


def parse_command(text: str) -> tuple[str | None, str | None]:
    """("start", "PAYLOAD") for "/start PAYLOAD"; an invalid payload is dropped."""
    match = _COMMAND.fullmatch(text.strip())
    if match is None:
        return None, None
    payload = (match.group(2) or "").strip()
    return match.group(1).lower(), payload if _PAYLOAD.fullmatch(payload) else None


def _media(message: Message) -> tuple[dict[str, Any], ...]:
    """A voice note and/or the largest size of a photo."""
    media: list[dict[str, Any]] = []
    if message.voice is not None:
        media.append({"kind": "voice", "ref": _file_id(message.voice),
                      "duration": _duration(message.voice)})
    if message.photo:
        media.append({"kind": "photo", "ref": _file_id(message.photo[-1])})
    return tuple(media)


def _shared_phone(message: Message) -> str:
    """The person's own number, when they shared it with a contact button; else ""."""
    contact, sender = message.contact, message.from_user
    if contact is None or sender is None or contact.user_id != sender.id:
        return ""
    number = _string(contact.phone_number).strip()
    return number if not number or number.startswith("+") else "+" + number


def _chat_address(message: Any) -> str:
    """The chat id as text; a chat id is always an integer."""
    chat_id = message.chat.id
    if not _is_int(chat_id):
        raise MalformedUpdate("chat.id is not an integer")
    return str(chat_id)


def _file_id(file: Any) -> str:
    if not isinstance(file.file_id, str) or not file.file_id:
        raise MalformedUpdate("file_id is not a string")
    return file.file_id


def _duration(voice: Any) -> int:
    """Seconds, read from the JSON form: the attribute warns of its change to timedelta."""
    seconds = voice.to_dict().get("duration")
    return int(seconds) if isinstance(seconds, (int, float)) else 0


def _language(user: User | None) -> str | None:
    code = _string(user.language_code) if user is not None else ""
    return code or None


def _string(value: Any) -> str:
    """A text field: "" when absent; a non-string means the payload is not Telegram's."""
    if value is None or isinstance(value, str):
        return value or ""
    raise MalformedUpdate(f"expected a string, got {type(value).__name__}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


__all__ = ["ALLOWED_UPDATES", "MalformedUpdate", "ParsedUpdate", "TelegramSender",
           "callback_answer", "parse_command", "parse_update", "poll"]
