"""One settings object, read from the environment once."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

import phonenumbers

from flows.model import ServiceContact


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


@dataclass(frozen=True)
class Settings:
    """Everything the runtime and the adapters need; every value has a default."""

    remind_after: timedelta = timedelta(hours=24)  # one gentle reminder after this silence
    expire_after: timedelta = timedelta(days=7)  # then the answers are forgotten
    # A referred person who does not answer the consent SMS: their case goes to the team.
    referral_consent_wait: timedelta = timedelta(days=3)
    telegram_bot_token: str = ""
    telegram_webhook_secret: str = ""
    telegram_bot_username: str = ""  # the bot's @name, for invite links (t.me/NAME?start=CODE)
    telegram_api_base_url: str = "https://api.telegram.org"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_api_base_url: str = "https://api.twilio.com"
    sms_sender: str = ""  # a long number, a short code, or a Messaging Service SID (MG…)
    public_base_url: str = ""  # what providers call, e.g. https://relais.example.fr
    redis_url: str = ""  # empty: the job queue runs embedded (SQLite)
    huey_sqlite_path: str = ""  # the embedded queue's file; empty: instance/huey.sqlite3
    secret_key: str = "dev-only-change-me"  # signs the inbox's cookies: set it in production
    delivery_max_attempts: int = 8
    reopen_closed_cases: bool = False  # a message after closing reopens the case, not a new one
    sms_rate_limit: str = "10/second"  # what the number or short code is provisioned for
    trusted_proxies: int = 0  # reverse proxies in front: their X-Forwarded-For/-Proto count
    # The network page flags an organisation "à recontacter" after this long without a
    # referral (or when a member left within it).
    network_recontact_after: timedelta = timedelta(days=60)

    def service_contact(self) -> ServiceContact:
        """How the public reaches the service, for the messages alert givers hand over."""
        return ServiceContact(sms_number=dialable(self.sms_sender),
                              telegram_username=self.telegram_bot_username)

    @classmethod
    def from_env(cls) -> "Settings":
        hours = lambda name, default: timedelta(hours=float(_env(name, str(default))))  # noqa: E731
        return cls(
            remind_after=hours("REMIND_AFTER_HOURS", 24),
            expire_after=hours("EXPIRE_AFTER_HOURS", 24 * 7),
            referral_consent_wait=hours("REFERRAL_CONSENT_WAIT_HOURS", 24 * 3),
            telegram_bot_token=_env("TELEGRAM_BOT_TOKEN"),
            telegram_webhook_secret=_env("TELEGRAM_WEBHOOK_SECRET"),
            telegram_bot_username=_env("TELEGRAM_BOT_USERNAME").lstrip("@"),
            telegram_api_base_url=_env("TELEGRAM_API_BASE_URL", cls.telegram_api_base_url).rstrip("/"),
            twilio_account_sid=_env("TWILIO_ACCOUNT_SID"),
            twilio_auth_token=_env("TWILIO_AUTH_TOKEN"),
            twilio_api_base_url=_env("TWILIO_API_BASE_URL", cls.twilio_api_base_url).rstrip("/"),
            sms_sender=_env("SMS_SENDER"),
            public_base_url=_env("PUBLIC_BASE_URL").rstrip("/"),
            redis_url=_env("REDIS_URL"),
            huey_sqlite_path=_env("HUEY_SQLITE_PATH"),
            secret_key=_env("SECRET_KEY", cls.secret_key),
            delivery_max_attempts=int(_env("DELIVERY_MAX_ATTEMPTS", "8")),
            reopen_closed_cases=_env("REOPEN_CLOSED_CASES", "0").lower() in ("1", "true", "oui"),
            sms_rate_limit=_env("SMS_RATE_LIMIT", cls.sms_rate_limit),
            trusted_proxies=_proxy_count(_env("TRUSTED_PROXIES") or "0"),
            network_recontact_after=timedelta(
                days=float(_env("NETWORK_RECONTACT_AFTER_DAYS", "60"))),
        )


def _proxy_count(raw: str) -> int:
    """TRUSTED_PROXIES: how many reverse proxies stand in front (0, 1, 2…)."""
    if not raw.isdigit():
        raise ValueError(f"TRUSTED_PROXIES must be a whole number of proxies (0, 1, 2…), not {raw!r}")
    return int(raw)


def dialable(sender: str) -> str:
    """The SMS sender as people write it ("06 12 34 56 78", a short code); "" for a
    Messaging Service SID, which no one can dial."""
    if sender.isdigit():
        return sender
    try:
        number = phonenumbers.parse(sender, "FR")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
