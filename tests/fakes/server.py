"""A tiny threaded HTTP server on 127.0.0.1 that fake provider APIs build on."""
from __future__ import annotations

import json
import threading
import traceback
from typing import Any, Self

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response


class _QuietHandler(WSGIRequestHandler):
    """Request handler that does not print one line per request."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """Stay silent: pytest output is for the test, not for access logs."""


class FakeServer:
    """A WSGI application served on a random free port of 127.0.0.1, in a daemon thread.

    Subclasses implement `handle(request) -> Response`. An exception in `handle`
    becomes a 500 answer and is kept in `errors`, so a bug in a fake is visible.
    """

    def __init__(self) -> None:
        self.errors: list[str] = []
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def handle(self, request: Request) -> Response:
        """Answer one request (implemented by each fake)."""
        raise NotImplementedError

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        """The WSGI entry point: wraps `handle` and turns crashes into 500s."""
        request = Request(environ)
        try:
            response = self.handle(request)
        except Exception:  # a bug in the fake: answer 500 and remember it
            self.errors.append(traceback.format_exc())
            response = json_response({"error": "fake server crashed"}, 500)
        return response(environ, start_response)

    def start(self) -> Self:
        """Start serving; returns self so `fake = FakeX().start()` reads well."""
        if self._server is not None:
            return self
        self._server = make_server(
            "127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_QuietHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # how fast stop() returns
            name=f"{type(self).__name__}-{self._server.server_port}",
            daemon=True,
        )
        self._thread.start()
        return self

    @property
    def port(self) -> int:
        """The port the server listens on."""
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._server.server_port

    @property
    def url(self) -> str:
        """Base URL, without trailing slash, e.g. http://127.0.0.1:54321."""
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop serving and release the port (idempotent)."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        """Start on entering a `with` block."""
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        """Stop on leaving a `with` block."""
        self.stop()


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response with the given status."""
    return Response(
        json.dumps(payload), status=status, headers=headers, content_type="application/json"
    )
