"""JSON API v1 for partner tools and exports, under /api/v1 (see spec.py for the document).

Its own blueprint, registered on the app itself (not under the inbox's parent blueprint):
callers authenticate with `Authorization: Bearer <token>` (inbox.cases.tokens), never
with the inbox's cookie session, so no CSRF token is asked for either. A token acts as
its coordinator: it reaches the cases of their teams only (another team's case: 404).
Every answer, errors included, is JSON; error texts are French.
"""
from __future__ import annotations

from flask import Flask

from inbox.api.routes import blueprint, install_error_pages

__all__ = ["blueprint", "init_api"]


def init_api(app: Flask) -> None:
    """Register the API on `app` (/api/v1) with JSON answers for its unknown paths."""
    app.register_blueprint(blueprint)
    install_error_pages(app)
