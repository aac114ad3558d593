"""The site's root, which opens the inbox, and a health check for the platform."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, url_for
from sqlalchemy import text

blueprint = Blueprint("health", __name__)


@blueprint.get("/")
def home() -> Response:
    """The address people type: the inbox's case list (or its sign-in page)."""
    return redirect(url_for("inbox.home.cases"))


@blueprint.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """200 when the database answers; 503 otherwise."""
    try:
        with current_app.extensions["session_factory"]() as session:
            session.execute(text("SELECT 1"))
    except Exception:
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}, 200
