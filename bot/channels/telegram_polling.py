"""Long polling: a real bot run from a laptop, with no public URL and no webhook.

Telegram keeps an update until a getUpdates call asks for a higher offset, so each
update is handled once: its id + 1 becomes the next offset, and on stop one last short
call confirms what was handled. An update whose handling fails is logged and skipped:
retrying it forever would hold every later message back.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from bot.channels.base import SendError
from bot.channels.telegram_sender import TelegramSender

log = logging.getLogger(__name__)
MAX_BACKOFF = 30.0


def poll(sender: TelegramSender, handle: Callable[[dict[str, Any]], None], stop: threading.Event,
         timeout: int = 25, backoff: float = 1.0) -> None:
    """Handle updates in order until `stop` is set (noticed within `timeout` seconds).

    Transient failures are retried with a growing pause; a permanent one is raised.
    """
    if _until_done(sender.delete_webhook, stop, backoff, "deleteWebhook") is None:
        return  # stopped before polling began
    offset: int | None = None
    while not stop.is_set():
        updates = _until_done(lambda: sender.get_updates(offset, timeout), stop, backoff,
                              "getUpdates")
        for update in updates or []:
            offset = update["update_id"] + 1
            _handle_one(sender, handle, update)
            if stop.is_set():
                break
    if offset is not None:
        _confirm(sender, offset)


def _handle_one(sender: TelegramSender, handle: Callable[[dict[str, Any]], None],
                update: dict[str, Any]) -> None:
    """Answer a tapped button at once, then hand the update over; never raise."""
    query = update.get("callback_query")
    if isinstance(query, dict) and query.get("id"):
        try:
            sender.answer_callback_query(str(query["id"]))
        except SendError as error:  # only the spinner is affected
            log.info("callback query not answered: %s", error.reason)
    try:
        handle(update)
    except Exception:
        log.exception("update %s could not be handled; skipped", update.get("update_id"))


def _until_done(call: Callable[[], Any], stop: threading.Event, backoff: float, name: str) -> Any:
    """`call()`, retried after a growing pause until it works; None once `stop` is set.

    A permanent error (a revoked token) is raised: retrying cannot help.
    """
    pause = backoff
    while not stop.is_set():
        try:
            return call()
        except SendError as error:
            if error.permanent:
                raise
            wait = error.retry_after or pause
            log.warning("%s failed (%s); retrying in %.0f s", name, error.reason, wait)
            stop.wait(wait)
            pause = min(pause * 2, MAX_BACKOFF)
    return None


def _confirm(sender: TelegramSender, offset: int) -> None:
    """Tell Telegram the updates before `offset` were handled, so none comes back."""
    try:
        sender.get_updates(offset, timeout=0, limit=1)
    except SendError as error:  # they will come again and be seen as repeats
        log.warning("could not confirm handled updates: %s", error.reason)
