"""SMS adapter (Twilio): webhook form in, neutral InboundMessage out; REST send; TwiML.

The sender may be a long number, a short code or a Messaging Service (MG…), from
configuration. Options are already numbered in the body, so buttons are ignored.
"""
from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.base import SendError
from bot.inbound import InboundMessage
from bot.settings import Settings

CHANNEL = "sms"
DEFAULT_REGION = "FR"
REAL_API = "https://api.twilio.com"
MAX_MEDIA = 10  # Twilio forwards at most 10 attachments
OPTED_OUT = 21610  # "Attempt to send to unsubscribed recipient"
HTTP_TIMEOUT = 15.0  # seconds; twilio-python waits forever by default
MAX_RETRY_AFTER = 3600.0  # seconds; a longer wait asked for is a mistake


class MalformedSms(ValueError):
    """The form lacks what every Twilio SMS webhook carries (the webhook answers 400)."""


# -- inbound ----------------------------------------------------------------------------
def parse_form(form: Mapping[str, str]) -> InboundMessage:
    """The message Twilio posted: sender, text and attachments."""
    sender = (form.get("From") or "").strip()
    sid = (form.get("MessageSid") or form.get("SmsSid") or "").strip()
    if not sender or not sid:
        raise MalformedSms("From and MessageSid are required")
    return InboundMessage(
        channel=CHANNEL, address=normalize_phone(sender), text=form.get("Body") or "",
        media=_media(form), provider_id=sid,
        provider_confirms_stop=opt_out_type(form) == "STOP",  # Twilio answered it already
    )


def opt_out_type(form: Mapping[str, str]) -> str | None:
    """STOP, START or HELP when Twilio's Advanced Opt-Out recognised a keyword."""
    return (form.get("OptOutType") or "").strip().upper() or None


def normalize_phone(raw: str) -> str:
    """E.164 (French numbers by default); a short code or a name is kept as written."""
    text = (raw or "").strip()
    if not text or any(char.isalpha() for char in text):
        return text
    return e164(text) or text


def e164(text: str) -> str | None:
    """The number written in `text` in E.164 (French by default); None when it is not a
    possible phone number."""
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _media(form: Mapping[str, str]) -> tuple[dict[str, Any], ...]:
    """Attachments as {"kind", "ref", "content_type"}; ref is Twilio's URL (Basic auth)."""
    try:
        count = min(int(form.get("NumMedia") or 0), MAX_MEDIA)
    except ValueError:
        count = 0
    media = []
    for index in range(count):
        url = (form.get(f"MediaUrl{index}") or "").strip()
        content_type = (form.get(f"MediaContentType{index}") or "").strip().lower()
        if url:
            media.append({"kind": _kind(content_type), "ref": url, "content_type": content_type})
    return tuple(media)


def _kind(content_type: str) -> str:
    if content_type.startswith("image/"):
        return "photo"
    return "audio" if content_type.startswith("audio/") else "file"


def signature_is_valid(auth_token: str, url: str, form: Mapping[str, Any],
                       signature: str | None) -> bool:
    """Whether X-Twilio-Signature matches `form` posted to `url` (the PUBLIC url called)."""
    if not auth_token or not signature:
        return False  # an empty token would make every forger's HMAC "valid"
    return RequestValidator(auth_token).validate(url, form, signature)


def twiml_empty() -> str:
    """The webhook answer when replies go out through the REST API: no message."""
    return str(MessagingResponse())


# -- outbound ---------------------------------------------------------------------------
class RedirectingHttpClient(TwilioHttpClient):
    """twilio-python's HTTP client, sending what is meant for *.twilio.com to `base_url`.

    twilio-python has no base-URL setting: each domain (api, messaging…) builds its own
    https://<name>.twilio.com URL. Every request ends in `request()`, whatever the domain,
    region or edge, so that is where the URL is rewritten. It also keeps the last answer's
    headers per thread, since TwilioRestException does not carry Retry-After.
    """

    def __init__(self, base_url: str | None = None, timeout: float = HTTP_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/") if base_url else None
        self._last = threading.local()

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        """Rewrite the URL if asked, send, and remember the answer's headers."""
        if self.base_url:
            url = redirect_url(url, self.base_url)
        self._last.headers = {}
        response = super().request(method, url, *args, **kwargs)
        self._last.headers = dict(response.headers or {})
        return response

    def last_header(self, name: str) -> str | None:
        """A header of this thread's last answer (case-insensitive)."""
        headers = getattr(self._last, "headers", {})
        return next((v for k, v in headers.items() if k.lower() == name.lower()), None)


def redirect_url(url: str, base_url: str) -> str:
    """`url` with scheme and host replaced by `base_url`'s when the host is Twilio's."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not (host == "twilio.com" or host.endswith(".twilio.com")):
        return url
    return base_url.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")


class SmsSender:
    """Sends SMS through Twilio's REST API, with a status callback when a public URL is set."""

    channel = "sms"

    def __init__(self, settings: Settings) -> None:
        if not (settings.twilio_account_sid and settings.twilio_auth_token and settings.sms_sender):
            raise ValueError("TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and SMS_SENDER are required")
        base = settings.twilio_api_base_url.rstrip("/")
        self.http = RedirectingHttpClient(None if base == REAL_API else base)
        self.client = Client(settings.twilio_account_sid, settings.twilio_auth_token,
                             http_client=self.http, environment={})  # Settings only, not env
        self.from_ = _sender_params(settings.sms_sender)
        public = settings.public_base_url.rstrip("/")
        self.status_callback = f"{public}/webhooks/twilio/status" if public else None

    def send(self, address: str, body: str, buttons: list[dict[str, str]] | None = None) -> str:
        """Send one SMS; returns its sid."""
        params: dict[str, Any] = {"to": address, "body": body, **self.from_}
        if self.status_callback:
            params["status_callback"] = self.status_callback
        try:
            return self.client.messages.create(**params).sid
        except (TwilioRestException, TwilioServiceException) as error:
            raise self._send_error(error) from None
        except (requests.RequestException, TwilioException) as error:
            raise SendError(f"Twilio unreachable: {type(error).__name__}", code="network") from None

    def _send_error(self, error: TwilioRestException | TwilioServiceException) -> SendError:
        """What a Twilio REST error means for the delivery worker."""
        status, code = int(error.status), error.code
        message = getattr(error, "msg", None) or getattr(error, "title", "")
        reason = f"Twilio {status} error {code}: {message}"
        if code == OPTED_OUT:
            return SendError(reason, code=str(code), blocked=True)
        if status == 429:
            wait = _seconds(self.http.last_header("Retry-After"))
            return SendError(reason, code="429", retry_after=wait)
        if 400 <= status < 500:
            return SendError(reason, code=str(code or status), permanent=True)
        return SendError(reason, code=str(code or status))


def _sender_params(sender: str) -> dict[str, str]:
    """A Messaging Service sid (MG…) or a from number / short code."""
    if sender.startswith("MG"):
        return {"messaging_service_sid": sender}
    return {"from_": sender}


def _seconds(value: str | None) -> float | None:
    """Retry-After in seconds when given as a sane number (an HTTP date is ignored)."""
    try:
        seconds = float(value or "")
    except ValueError:
        return None
    return min(seconds, MAX_RETRY_AFTER) if 0 <= seconds < math.inf else None
