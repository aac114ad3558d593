"""A fake Twilio REST API (2010-04-01 Messages), and a client redirect to reach it."""
from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable
from functools import partial
from email.utils import formatdate
from typing import Any
from urllib.parse import urlsplit

from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client
from werkzeug.wrappers import Request, Response

from tests.fakes.server import FakeServer, json_response
from tests.fakes.twilio_payloads import (  # noqa: F401  (re-exported for tests)
    ACCOUNT_SID, API_VERSION, AUTH_TOKEN, MESSAGING_SERVICE_SID, inbound_sms,
    message_resource, new_sid, recording_status, segments, sign, status_callback, voice_call,
)

_MESSAGES = {
    20003: "Authenticate",
    20404: "The requested resource was not found",
    20429: "Too Many Requests",
    20500: "Internal Server Error",
    20503: "Service Unavailable",
    21211: "Invalid 'To' Phone Number",
    21602: "Message body is required.",
    21603: "A 'From' phone number is required.",
    21604: "A 'To' phone number is required.",
    21610: "Attempt to send to unsubscribed recipient",
    21617: "The concatenated message body exceeds the 1600 character limit.",
}
_ROUTE = re.compile(r"/2010-04-01/Accounts/(?P<account>AC\w+)/Messages"
                    r"(?:\.json|/(?P<sid>(?:SM|MM)\w+)(?:\.json|/Media/(?P<media>ME\w+)))")
_RECORDING = re.compile(r"/2010-04-01/Accounts/(?P<account>AC\w+)/Recordings/(?P<sid>RE\w+)"
                        r"\.(?P<format>mp3|wav)")
_AUDIO = {"mp3": "audio/mpeg", "wav": "audio/x-wav"}


def error(code: int, status: int = 400, message: str | None = None) -> Response:
    """A Twilio REST error answer: {code, message, more_info, status}."""
    body = {"code": code, "message": message or _MESSAGES.get(code, "Error"),
            "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status}
    headers = {"WWW-Authenticate": 'Basic realm="Twilio API"'} if status == 401 else None
    return json_response(body, status, headers)


class FakeTwilio(FakeServer):
    """Serves Messages.json, Messages/{Sid}.json and inbound media like api.twilio.com."""

    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        super().__init__()
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.messages: list[dict[str, Any]] = []  # form fields of created messages, plus "Sid"
        self.resources: dict[str, dict[str, Any]] = {}  # Message resources by sid
        self.calls: list[tuple[str, str, dict[str, Any]]] = []  # (verb, path, form), all requests
        self.unsubscribed: set[str] = set()
        self._lock = threading.Lock()
        self._failures: deque[Callable[[], Response]] = deque()
        self._media: dict[str, tuple[bytes, str]] = {}
        self._recordings: dict[str, dict[str, bytes]] = {}  # sid -> format -> bytes

    # -- what tests use ------------------------------------------------------------
    def client(self) -> Client:
        """A real twilio Client whose requests reach this fake."""
        return Client(self.account_sid, self.auth_token,
                      http_client=redirecting_http_client(self.url))

    def count(self) -> int:
        """How many messages were created."""
        return len(self.messages)

    def fail_next(self, status: int | None = None, code: int | None = None, times: int = 1,
                  message: str | None = None) -> None:
        """Fail the next `times` creates: status=429/500/503, or code=21610 (HTTP 400)."""
        if status is None:
            status = 400 if code else 500
        answer = partial(error, code or 20000 + status, status, message)
        with self._lock:
            self._failures.extend([answer] * times)

    def unsubscribe(self, number: str) -> None:
        """`number` texted STOP: every later send to it fails with 21610."""
        with self._lock:
            self.unsubscribed.add(number)

    def add_media(self, message_sid: str, content: bytes, content_type: str = "image/jpeg") -> str:
        """Register inbound media; returns its URL (for inbound_sms(media=[(url, type)]))."""
        media_sid = new_sid("ME")
        with self._lock:
            self._media[media_sid] = (content, content_type)
        return f"{self.url}/{API_VERSION}/Accounts/{self.account_sid}/Messages/{message_sid}/Media/{media_sid}"

    def add_recording(self, mp3: bytes, wav: bytes | None = None, sid: str | None = None) -> str:
        """Register a call recording (GET Recordings/{Sid}.mp3 or .wav); returns its sid."""
        sid = sid or new_sid("RE")
        with self._lock:
            self._recordings[sid] = {"mp3": mp3, **({"wav": wav} if wav is not None else {})}
        return sid

    def set_status(self, sid: str, status: str, error_code: int | None = None) -> None:
        """Move a created message on (delivered, failed...), as GET will then show."""
        with self._lock:
            self.resources[sid].update(status=status, error_code=error_code)

    # -- HTTP ----------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        """Authenticate, then create, fetch or download."""
        form = {k: v if k == "MediaUrl" else v[0] for k, v in request.form.lists()}
        with self._lock:
            self.calls.append((request.method, request.path, form))
        match = _ROUTE.fullmatch(request.path)
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (self.account_sid, self.auth_token):
            return error(20003, 401)
        recording = _RECORDING.fullmatch(request.path)
        if recording and recording["account"] == self.account_sid and request.method == "GET":
            return self._recording(recording["sid"], recording["format"], request.path)
        if match is None or match["account"] != self.account_sid:
            return error(20404, 404, f"The requested resource {request.path} was not found")
        if match["media"] and request.method == "GET":
            return self._download(match["media"], request.path)
        if match["sid"] and request.method == "GET":
            return self._fetch(match["sid"], request.path)
        if not match["sid"] and request.method == "POST":
            return self._create(form)
        return error(20004, 405, "Method not allowed")

    def _create(self, form: dict[str, Any]) -> Response:
        """POST Messages.json: validate like Twilio, then answer 201 with the resource."""
        body, to = form.get("Body", ""), form.get("To", "")
        if not to:
            return error(21604)
        if not re.fullmatch(r"\+[1-9]\d{6,14}", to):
            return error(21211, message=f"The 'To' number {to} is not a valid phone number.")
        if not form.get("From") and not form.get("MessagingServiceSid"):
            return error(21603)
        if not body and not form.get("MediaUrl") and not form.get("ContentSid"):
            return error(21602)
        if len(body) > 1600:
            return error(21617)
        with self._lock:
            if self._failures:
                return self._failures.popleft()()
            if to in self.unsubscribed:
                return error(21610)
            sid = new_sid("SM")
            resource = message_resource(form, sid, self.account_sid, formatdate(usegmt=False))
            self.resources[sid] = resource
            self.messages.append({**form, "Sid": sid})
        return json_response(resource, 201)

    def _fetch(self, sid: str, path: str) -> Response:
        """GET Messages/{Sid}.json."""
        with self._lock:
            resource = self.resources.get(sid)
        if resource is None:
            return error(20404, 404, f"The requested resource {path} was not found")
        return json_response(resource)

    def _download(self, media_sid: str, path: str) -> Response:
        """GET .../Media/{MediaSid}: the registered bytes."""
        with self._lock:
            found = self._media.get(media_sid)
        if found is None:
            return error(20404, 404, f"The requested resource {path} was not found")
        return Response(found[0], content_type=found[1])


    def _recording(self, sid: str, audio_format: str, path: str) -> Response:
        """GET Recordings/{Sid}.mp3 or .wav: the registered audio."""
        with self._lock:
            content = self._recordings.get(sid, {}).get(audio_format)
        if content is None:
            return error(20404, 404, f"The requested resource {path} was not found")
        return Response(content, content_type=_AUDIO[audio_format])


class RedirectingHttpClient(TwilioHttpClient):
    """A TwilioHttpClient that sends what was meant for https://*.twilio.com to `base_url`."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> TwilioResponse:
        """Rewrite the URL, then send as usual."""
        return super().request(method, redirect_url(url, self.base_url), *args, **kwargs)


def redirect_url(url: str, base_url: str) -> str:
    """`url` with scheme and host replaced by `base_url`'s when the host is Twilio's."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "https" or not (host == "twilio.com" or host.endswith(".twilio.com")):
        return url
    return base_url.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")


def redirecting_http_client(base_url: str) -> RedirectingHttpClient:
    """An http_client for `twilio.rest.Client` that reaches a fake at `base_url`."""
    return RedirectingHttpClient(base_url)
