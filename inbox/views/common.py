"""What the case views share: the database session, the signed-in user, clock and words."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy.orm import Session

from flows.catalogue import catalogue
from storage.models import User

PARIS = ZoneInfo("Europe/Paris")
MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
          "nov.", "déc.")
DELIVERY_MARKS = {  # outgoing message status -> (word, css modifier)
    "queued": ("en attente", "queued"), "sending": ("en attente", "queued"),
    "sent": ("envoyé", "sent"), "delivered": ("remis", "delivered"),
    "read": ("remis", "delivered"),
    "failed": ("échec", "failed"), "undelivered": ("échec", "failed"),
}
CHANNEL_LABELS = {"sms": "SMS", "sms-sim": "SMS (simulateur)", "telegram": "Telegram",
                  "telegram-sim": "Telegram (simulateur)", "voice": "Téléphone"}
SMS_CHANNELS = ("sms", "sms-sim", "voice")  # replies go by SMS (a caller too: bot.calls)


def now() -> datetime:
    """The current time (tests may fix it with app.config["INBOX_NOW"])."""
    fixed = current_app.config.get("INBOX_NOW")
    return fixed() if callable(fixed) else datetime.now(timezone.utc)


@contextmanager
def db() -> Iterator[Session]:
    """A session for this request; the view commits what it changes."""
    with current_app.extensions["session_factory"]() as session:
        yield session


def acting_user(session: Session) -> User:
    """The signed-in account as a User row of `session`."""
    user = session.get(User, current_user.id)
    if user is None or not user.active:
        abort(403)
    return user


def word(group: str, code: str) -> str:
    """The French word the bot uses for a choice (difficulties.cost…), else the code."""
    return catalogue("fr").get(f"{group}.{code}", code)


def paris_time(value: datetime | None) -> str:
    """"2 mars, 10:15" in Paris time; the year when it is not this year."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    local = value.astimezone(PARIS)
    year = "" if local.year == datetime.now(PARIS).year else f" {local.year}"
    return f"{local.day} {MONTHS[local.month - 1]}{year}, {local:%H:%M}"


def waited(since: datetime | None, at: datetime) -> str:
    """"5 min", "2 h", "3 j": how long the person has been waiting."""
    if since is None:
        return ""
    if since.tzinfo is None:
        since = since.replace(tzinfo=timezone.utc)
    minutes = max(0, int((at - since).total_seconds() // 60))
    if minutes < 1:
        return "moins d'1 min"
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} j"
