"""The inbox's parent blueprint: what every inbox page shares, whoever wrote the view.

Inbox areas register as children of `blueprint` (see inbox/__init__.py), so the guards
below apply to every one of them without a decorator to forget:
- sign-in is required unless the view is marked `@public`;
- POST, PUT, PATCH and DELETE need the CSRF token (form field or X-CSRFToken header);
- responses carry a strict Content-Security-Policy: scripts and styles come from our own
  static files only, which also stops injected markup from running.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

blueprint = Blueprint(
    "inbox", __name__, template_folder="templates",
    static_folder="static", static_url_path="/static/inbox",
)

View = TypeVar("View", bound=Callable[..., Any])

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # CSRF checks the referrer on HTTPS: keep it same-origin
}


def public(view: View) -> View:
    """Mark a view as open to visitors who are not signed in (the sign-in page)."""
    view.inbox_public = True  # type: ignore[attr-defined]
    return view


def _is_public(endpoint: str | None) -> bool:
    """Whether the endpoint is the static files or a view marked @public."""
    if endpoint is None or endpoint == "inbox.static":
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, "inbox_public", False))


@blueprint.before_request
def require_sign_in() -> Response | None:
    """Send anonymous visitors to the sign-in page (an htmx request gets HX-Redirect)."""
    if current_user.is_authenticated or _is_public(request.endpoint):
        return None
    return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]


@blueprint.before_request
def require_csrf_token() -> None:
    """Refuse a state-changing request without a valid CSRF token (400)."""
    current_app.extensions["csrf"].protect()


@blueprint.after_request
def add_security_headers(response: Response) -> Response:
    """Add the CSP and its companions; pages showing private data are never cached."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "inbox.static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


@blueprint.errorhandler(CSRFError)
def csrf_error(_error: CSRFError) -> tuple[str, int]:
    """A form sent without its token, or from a page open too long: say so calmly."""
    return render_template("inbox/error.html", title="Page expirée",
                           message="Cette page a expiré. Rechargez-la, puis recommencez."), 400


@blueprint.errorhandler(403)
def forbidden(_error: Exception) -> tuple[str, int]:
    """A coordinator on an admin page."""
    return render_template("inbox/error.html", title="Accès réservé",
                           message="Cette page est réservée aux personnes qui gèrent le service."), 403
