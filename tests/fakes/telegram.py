"""A fake Telegram Bot API server (update builders re-exported from telegram_payloads)."""
from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from werkzeug.wrappers import Request, Response

from tests.fakes.server import FakeServer, json_response
from tests.fakes.telegram_payloads import (  # noqa: F401  (re-exported for tests)
    DATE, TOKEN, callback_update, contact_update, edited_message_update, photo_update,
    text_update, voice_update,
)

# Values of these parameters are strings even when they look like JSON ("123", "true").
_STRING_PARAMS = {"text", "caption", "callback_query_id", "url", "secret_token", "file_id",
                  "parse_mode", "data", "ip_address", "action", "description"}
_WEBHOOK_PORTS = {80, 88, 443, 8443}
_ERRORS = {
    400: "Bad Request: chat not found",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    500: "Internal Server Error",
}
Params = dict[str, Any]


def error(status: int, description: str | None = None, **parameters: Any) -> Response:
    """A Bot API error answer; `parameters` become the ResponseParameters object."""
    body: dict[str, Any] = {
        "ok": False,
        "error_code": status,
        "description": description or _ERRORS.get(status) or HTTPStatus(status).phrase,
    }
    headers = {}
    if parameters:
        body["parameters"] = parameters
        if "retry_after" in parameters:
            headers["Retry-After"] = str(parameters["retry_after"])
    return json_response(body, status, headers)


class _Rejected(Exception):
    """Raised by a method handler to answer with a Bot API error."""

    def __init__(self, status: int, description: str | None = None) -> None:
        super().__init__(description)
        self.response = error(status, description)


class FakeTelegram(FakeServer):
    """Serves /bot<TOKEN>/<method> and /file/bot<TOKEN>/<path> like api.telegram.org."""

    def __init__(self, token: str = TOKEN, *, username: str = "relais_mobilite_bot",
                 long_poll_cap: float = 0.5) -> None:
        super().__init__()
        self.token = token
        self.me = {"id": int(token.split(":")[0]), "is_bot": True,
                   "first_name": "Relais Mobilité", "username": username,
                   "can_join_groups": False, "can_read_all_group_messages": False,
                   "supports_inline_queries": False}
        self.long_poll_cap = long_poll_cap  # getUpdates never waits longer than this
        self.calls: list[tuple[str, Params]] = []
        self.webhook: Params = {}
        self.blocked: set[int | str] = set()
        self._state = threading.Condition()
        self._pending: list[dict[str, Any]] = []
        self._messages: dict[tuple[Any, int], dict[str, Any]] = {}
        self._next_message_id = 1
        self._files: dict[str, tuple[dict[str, Any], bytes]] = {}
        self._failures: dict[str, deque[Callable[[], Response]]] = {}
        self._sent: list[Params] = []

    # -- what tests use ------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """Value for `Bot(base_url=...)`; PTB replaces `{token}` itself."""
        return self.url + "/bot{token}"

    @property
    def base_file_url(self) -> str:
        """Value for `Bot(base_file_url=...)`."""
        return self.url + "/file/bot{token}"

    def queue_update(self, update: dict[str, Any]) -> None:
        """Make `update` available to getUpdates (and wake a waiting long poll)."""
        with self._state:
            self._pending.append(update)
            self._state.notify_all()

    def add_file(self, file_id: str, content: bytes, file_path: str | None = None) -> dict[str, Any]:
        """Register a downloadable file: getFile(file_id) then GET /file/bot<TOKEN>/<path>."""
        path = file_path or f"files/{file_id}"
        file = {"file_id": file_id, "file_unique_id": f"u-{file_id}",
                "file_size": len(content), "file_path": path}
        with self._state:
            self._files[file_id] = (file, content)
        return file

    def fail_next(self, method: str, status: int = 429, retry_after: int = 3, times: int = 1,
                  description: str | None = None) -> None:
        """Answer the next `times` calls of `method` with an error (429 carries retry_after)."""
        if status == 429:
            answer = partial(error, 429, description or f"Too Many Requests: retry after "
                             f"{retry_after}", retry_after=retry_after)
        else:
            answer = partial(error, status, description)
        with self._state:
            self._failures.setdefault(method.lower(), deque()).extend([answer] * times)

    def block(self, chat_id: int | str) -> None:
        """The person blocked the bot: every send to `chat_id` answers 403 from now on."""
        with self._state:
            self.blocked.add(chat_id)

    def sent_messages(self) -> list[Params]:
        """Parameters of the sendMessage calls that succeeded (what the person got), in order."""
        with self._state:
            return list(self._sent)

    def count(self, method: str) -> int:
        """How many times `method` was called (case-insensitive, failures included)."""
        return sum(1 for name, _ in list(self.calls) if name.lower() == method.lower())

    def stop(self) -> None:
        """Wake any waiting long poll, then stop serving."""
        with self._state:
            self._state.notify_all()
        super().stop()

    # -- HTTP ----------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        """Route a request to a Bot API method or to a file download."""
        match = re.fullmatch(r"/(file/)?bot([^/]+)/(.+)", request.path)
        if match is None:
            return error(404)
        is_file, token, rest = match.groups()
        if is_file:
            return self._download(token, rest)
        params = _params(request)
        with self._state:
            self.calls.append((rest, params))
            if token != self.token:
                return error(401, "Unauthorized")
            failures = self._failures.get(rest.lower())
            if failures:
                return failures.popleft()()
        handler = getattr(self, f"_m_{rest.lower()}", None)
        if handler is None:
            return error(404)
        try:
            result = handler(params)
        except _Rejected as rejected:
            return rejected.response
        return json_response({"ok": True, "result": result})

    def _download(self, token: str, file_path: str) -> Response:
        """GET /file/bot<TOKEN>/<file_path>: the registered bytes."""
        with self._state:
            found = [c for f, c in self._files.values() if f["file_path"] == file_path]
        if token != self.token or not found:
            return error(404)
        return Response(found[0], content_type="application/octet-stream")

    # -- Bot API methods (named _m_<lowercase method>) -------------------------------
    def _m_getme(self, params: Params) -> Any:
        return self.me

    def _m_sendmessage(self, params: Params) -> Any:
        chat_id, text = params.get("chat_id"), params.get("text")
        if chat_id in (None, ""):
            raise _Rejected(400, "Bad Request: chat_id is empty")
        if not text or not str(text).strip():
            raise _Rejected(400, "Bad Request: message text is empty")
        if len(str(text)) > 4096:
            raise _Rejected(400, "Bad Request: message is too long")
        _check_markup(params.get("reply_markup"))
        with self._state:
            if chat_id in self.blocked:
                raise _Rejected(403)
            message = {"message_id": self._next_message_id, "from": self.me,
                       "chat": {"id": chat_id, "type": "private"}, "date": int(time.time()),
                       "text": str(text)}
            self._next_message_id += 1
            _echo_markup(message, params.get("reply_markup"))
            self._messages[(chat_id, message["message_id"])] = message
            self._sent.append(params)
        return message

    def _m_editmessagetext(self, params: Params) -> Any:
        return self._edit(params, text=str(params.get("text") or ""))

    def _m_editmessagereplymarkup(self, params: Params) -> Any:
        return self._edit(params)

    def _edit(self, params: Params, text: str | None = None) -> Any:
        """Edit a message the fake knows (or a stub of it: tests may invent message ids)."""
        key = (params.get("chat_id"), params.get("message_id"))
        with self._state:
            old = self._messages.get(key) or {"message_id": key[1], "from": self.me, "text": "",
                                              "chat": {"id": key[0], "type": "private"},
                                              "date": DATE}
            new = {k: v for k, v in old.items() if k != "reply_markup"}
            new["text"] = old["text"] if text is None else text
            _echo_markup(new, params.get("reply_markup"))
            if new == old:
                raise _Rejected(400, "Bad Request: message is not modified: specified new "
                                     "message content and reply markup are exactly the same")
            self._messages[key] = new
        return new

    def _m_answercallbackquery(self, params: Params) -> Any:
        if not params.get("callback_query_id"):
            raise _Rejected(400, "Bad Request: query is too old and response timeout expired "
                                 "or query ID is invalid")
        return True

    def _m_sendchataction(self, params: Params) -> Any:
        return True

    def _m_setwebhook(self, params: Params) -> Any:
        url = str(params.get("url") or "")
        if not url:
            return self._m_deletewebhook(params)
        parts = urlsplit(url)
        if parts.scheme != "https":
            raise _Rejected(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        if (parts.port or 443) not in _WEBHOOK_PORTS:
            raise _Rejected(400, "Bad Request: bad webhook: Webhook can be set up only on ports "
                                 "80, 88, 443 or 8443")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _Rejected(400, "Bad Request: secret token contains unallowed characters")
        with self._state:
            self.webhook = {key: params.get(key) for key in (
                "url", "secret_token", "allowed_updates", "drop_pending_updates", "max_connections")}
            if params.get("drop_pending_updates"):
                self._pending.clear()
        return True

    def _m_deletewebhook(self, params: Params) -> Any:
        with self._state:
            self.webhook = {}
            if params.get("drop_pending_updates"):
                self._pending.clear()
        return True

    def _m_getwebhookinfo(self, params: Params) -> Any:
        with self._state:
            info = {"url": self.webhook.get("url") or "", "has_custom_certificate": False,
                    "pending_update_count": len(self._pending)}
            if self.webhook:
                info["max_connections"] = self.webhook.get("max_connections") or 40
                if self.webhook.get("allowed_updates") is not None:
                    info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    def _m_getupdates(self, params: Params) -> Any:
        offset = int(params["offset"]) if params.get("offset") not in (None, "") else None
        limit = int(params.get("limit") or 100)
        timeout = min(float(params.get("timeout") or 0), self.long_poll_cap)
        with self._state:
            if self.webhook.get("url"):
                raise _Rejected(409, "Conflict: can't use getUpdates method while webhook is "
                                     "active; use deleteWebhook to delete the webhook first")
            if offset is not None and offset < 0:
                del self._pending[:offset]  # keep only the last -offset updates
            elif offset is not None:
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
            if not self._pending and timeout > 0 and self._server is not None:
                self._state.wait(timeout)
            return list(self._pending[:limit])

    def _m_getfile(self, params: Params) -> Any:
        with self._state:
            found = self._files.get(str(params.get("file_id")))
        if found is None:
            raise _Rejected(400, "Bad Request: invalid file_id")
        return found[0]


def _params(request: Request) -> Params:
    """Query string, JSON body, form fields and uploaded files as one dict."""
    params: Params = dict(request.args.items())
    if request.is_json:
        body = request.get_json(silent=True)
        params.update(body if isinstance(body, dict) else {})
        return params
    params.update(request.form.items())
    params.update({name: file.read() for name, file in request.files.items()})
    for name, value in params.items():
        if isinstance(value, str) and name not in _STRING_PARAMS:
            try:
                params[name] = json.loads(value)
            except ValueError:
                pass
    return params


def _check_markup(markup: Any) -> None:
    """Reject inline buttons whose callback_data is over 64 bytes, as Telegram does."""
    for row in (markup or {}).get("inline_keyboard", []) if isinstance(markup, dict) else []:
        for button in row:
            if len(str(button.get("callback_data", "")).encode()) > 64:
                raise _Rejected(400, "Bad Request: BUTTON_DATA_INVALID")


def _echo_markup(message: dict[str, Any], markup: Any) -> None:
    """Telegram echoes inline keyboards in the sent Message, not reply keyboards."""
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        message["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
