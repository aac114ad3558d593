"""Telegram from the command line: point the webhook at us, or poll from a laptop."""
from __future__ import annotations

import logging
import secrets
import signal
import threading
from typing import Any, Callable

from bot.jobs import default_jobs
from bot.runtime import Runtime
from bot.settings import Settings
from storage.db import make_engine, make_session_factory

log = logging.getLogger(__name__)


def set_webhook(settings: Settings, drop_pending: bool = False) -> str:
    """Tell Telegram to call PUBLIC_BASE_URL/webhooks/telegram with our secret token."""
    from bot.channels.telegram import TelegramSender

    if not settings.telegram_bot_token or not settings.public_base_url:
        raise SystemExit("TELEGRAM_BOT_TOKEN et PUBLIC_BASE_URL sont nécessaires.")
    if not settings.telegram_webhook_secret:
        raise SystemExit("TELEGRAM_WEBHOOK_SECRET est nécessaire, par exemple : "
                         f"{secrets.token_urlsafe(32)}")
    url = f"{settings.public_base_url}/webhooks/telegram"
    with TelegramSender(settings) as sender:
        sender.set_webhook(url, settings.telegram_webhook_secret, drop_pending_updates=drop_pending)
    return url


def run_polling(settings: Settings) -> None:
    """Long polling: a real bot with only a token, no public URL. Ctrl-C stops it."""
    if not settings.telegram_bot_token:
        raise SystemExit("TELEGRAM_BOT_TOKEN est nécessaire.")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    jobs = default_jobs(settings)
    log.info("polling Telegram; Ctrl-C to stop")
    runtime = Runtime(make_session_factory(make_engine()), service=settings.service_contact())
    poll_into(settings, runtime, jobs.enqueue_delivery, stop)


def poll_into(settings: Settings, runtime: Runtime, enqueue: Callable[[list[int]], object],
              stop: threading.Event) -> None:
    """Hand every polled update to the runtime, and its replies to the delivery queue."""
    from bot.channels import telegram

    def handle(update: dict[str, Any]) -> None:
        parsed = telegram.parse_update(update)
        if parsed is not None and parsed.message is not None:
            enqueue(runtime.receive(parsed.message).replies)

    with telegram.TelegramSender(settings) as sender:
        telegram.poll(sender, handle, stop)
