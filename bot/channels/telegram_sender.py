"""Telegram adapter, outbound side: one PTB Bot on one long-lived event loop of its own.

PTB's Bot is asynchronous, and once initialised it is bound to the event loop it was
initialised on. The sender owns one loop, run by a daemon thread; every call, from any
thread, is handed to that loop and waited for, so callers stay synchronous. Errors come
out as SendError, never as PTB exceptions, and never carry the bot token.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest, ChatMigrated, Conflict, Forbidden, InvalidToken, RetryAfter, TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from bot.channels.base import SendError
from bot.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

ALLOWED_UPDATES = ("message", "callback_query")  # what the webhook and polling ask for
MAX_TEXT = 4096  # UTF-16 code units, as Telegram counts
MAX_CALLBACK_DATA = 64  # bytes
MARGIN = 10.0  # seconds granted beyond PTB's own HTTP timeouts before a call is abandoned


class TelegramSender:
    """Sends through the Bot API; also sets the webhook, polls and downloads files."""

    channel = "telegram"

    def __init__(self, settings: Settings, *, read_timeout: float = 10.0) -> None:
        if not settings.telegram_bot_token:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        self._token = settings.telegram_bot_token
        self._read_timeout = read_timeout
        api = settings.telegram_api_base_url.rstrip("/")
        self._bot = Bot(
            self._token,
            base_url=f"{api}/bot{{token}}",  # PTB replaces {token} with the token
            base_file_url=f"{api}/file/bot{{token}}",
            request=HTTPXRequest(read_timeout=read_timeout),
            get_updates_request=HTTPXRequest(connection_pool_size=1, read_timeout=read_timeout),
        )
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="telegram-sender", daemon=True)
        self._thread.start()
        self._closed = False

    # -- the Sender protocol ---------------------------------------------------------
    def send(self, address: str, body: str, buttons: list[dict[str, str]] | None = None) -> str:
        """Send one message, buttons as an inline keyboard; returns "chat:message_id".

        Telegram numbers messages per chat, so the chat is part of the provider id.
        """
        text = fit_text(body)
        if not text.strip():
            raise SendError("empty message", code="400", permanent=True)
        markup = keyboard(buttons)
        message = self._call(lambda bot: bot.send_message(
            chat_id=_chat_id(address), text=text, reply_markup=markup))
        return f"{message.chat.id}:{message.message_id}"

    # -- the rest of the Bot API we use ----------------------------------------------
    def answer_callback_query(self, callback_query_id: str) -> bool:
        """Stop the spinner on the button the person tapped."""
        return self._call(lambda bot: bot.answer_callback_query(callback_query_id))

    def set_webhook(self, url: str, secret_token: str, drop_pending_updates: bool = False) -> bool:
        """Have Telegram post our two update types to `url`, with `secret_token` in a header."""
        return self._call(lambda bot: bot.set_webhook(
            url, secret_token=secret_token, allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=drop_pending_updates))

    def delete_webhook(self, drop_pending_updates: bool = False) -> bool:
        """Remove the webhook (long polling needs that)."""
        return self._call(lambda bot: bot.delete_webhook(drop_pending_updates=drop_pending_updates))

    def get_updates(self, offset: int | None, timeout: float = 0,
                    limit: int = 100) -> list[dict[str, Any]]:
        """Long-poll for updates from `offset` on, as JSON-shaped dicts (Update.to_dict())."""
        updates = self._call(lambda bot: bot.get_updates(
            offset=offset, limit=limit, timeout=int(timeout),
            allowed_updates=list(ALLOWED_UPDATES)), wait=timeout)
        return [update.to_dict() for update in updates]

    def download_file(self, file_id: str) -> bytes:
        """The bytes of a voice note or photo (getFile, then the file URL)."""
        async def download(bot: Bot) -> bytes:
            file = await bot.get_file(file_id)
            return bytes(await file.download_as_bytearray())
        return self._call(download)

    def close(self) -> None:
        """Shut the Bot down and stop the loop; later calls fail (idempotent)."""
        if self._closed:
            return
        self._closed = True
        try:
            asyncio.run_coroutine_threadsafe(self._bot.shutdown(), self._loop).result(MARGIN)
        except Exception:  # closing must not fail: the process is going away
            log.warning("the Telegram bot did not shut down cleanly", exc_info=True)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(MARGIN)
            if not self._thread.is_alive():
                self._loop.close()

    def __enter__(self) -> TelegramSender:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- running on the loop -----------------------------------------------------------
    def _call(self, work: Callable[[Bot], Awaitable[T]], wait: float = 0) -> T:
        """Run `work(bot)` on the sender's loop and wait for it; errors become SendError."""
        if self._closed:
            raise SendError("the Telegram sender is closed", code="closed")
        future = asyncio.run_coroutine_threadsafe(self._initialized(work), self._loop)
        try:
            return future.result(self._read_timeout + wait + MARGIN)
        except TimeoutError:  # PTB's own timeouts should have fired first
            future.cancel()
            raise SendError("Telegram did not answer in time", code="timeout") from None
        except TelegramError as error:
            raise send_error(error, self._token) from None  # the cause may hold the token

    async def _initialized(self, work: Callable[[Bot], Awaitable[T]]) -> T:
        """Initialise the Bot on first use (getMe checks the token), then do the work."""
        await self._bot.initialize()  # returns at once when already done
        return await work(self._bot)


def send_error(error: TelegramError, token: str = "") -> SendError:
    """What a Bot API error means for the delivery worker."""
    reason = f"{type(error).__name__}: {error.message}"
    reason = reason.replace(token, "<token>") if token else reason
    if isinstance(error, RetryAfter):
        return SendError(reason, code="429", retry_after=period_seconds(error.retry_after))
    if isinstance(error, Forbidden):  # blocked, deactivated, or never started the bot
        return SendError(reason, code="403", blocked=True)
    if isinstance(error, InvalidToken):
        return SendError(reason, code="401", permanent=True)
    if isinstance(error, (BadRequest, ChatMigrated)):
        return SendError(reason, code="400", permanent=True)
    if isinstance(error, Conflict):
        return SendError(reason, code="409")
    return SendError(reason, code="timeout" if isinstance(error, TimedOut) else "network")


def period_seconds(value: int | float | timedelta | None) -> float:
    """Seconds of a PTB time period: an int before 22.2, a timedelta with PTB_TIMEDELTA."""
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value or 0)


def keyboard(buttons: list[dict[str, str]] | None) -> InlineKeyboardMarkup | None:
    """One button per row, "pictogram label"; a button whose id Telegram refuses is left out."""
    rows = []
    for button in buttons or []:
        data = str(button.get("id") or "")
        if not data or len(data.encode()) > MAX_CALLBACK_DATA:
            log.warning("button %r left out: its id must be 1-64 bytes", data[:80])
            continue
        text = " ".join(f"{button.get('pictogram') or ''} {button.get('label') or ''}".split())
        text = text or data
        rows.append([InlineKeyboardButton(text, callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None


def fit_text(text: str, limit: int = MAX_TEXT) -> str:
    """The text, cut at a word with "…" if longer than Telegram allows (should not happen)."""
    if _utf16_units(text) <= limit:
        return text
    used, end = 1, 0  # the "…" takes one unit
    for end, char in enumerate(text):
        used += _utf16_units(char)
        if used > limit:
            break
    cut = text[:end]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > len(cut) // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _chat_id(address: str) -> int | str:
    """A chat id as Telegram expects it: an integer, or an @username."""
    try:
        return int(address)
    except ValueError:
        return address
