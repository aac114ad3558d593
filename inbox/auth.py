"""Signing in and out of the inbox: /connexion, /deconnexion."""
from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import (Blueprint, Flask, Response, flash, redirect, render_template, request,
                   session, url_for)
from flask_limiter import Limiter
from flask_login import current_user, login_user, logout_user
from werkzeug.exceptions import TooManyRequests

from storage.models import normalize_email

from .accounts import authenticate
from .web import public

blueprint = Blueprint("auth", __name__)

LOGIN_ENDPOINT = "inbox.auth.login"
HOME_ENDPOINT = "inbox.home.cases"
WRONG_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect."
INACTIVE_ACCOUNT = "Ce compte est fermé. Demandez à une personne qui gère le service de le rouvrir."
TOO_MANY_ATTEMPTS = "Trop d'essais, réessayez dans une minute."


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: never send anyone elsewhere."""
    if not target or len(target) > 2048 or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None  # browsers read "/\evil.example" as "//evil.example"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path == url_for(LOGIN_ENDPOINT):
        return None
    return target


@blueprint.route("/connexion", methods=["GET", "POST"])
@public
def login() -> Response | str | tuple[str, int]:
    """Show the sign-in form; on POST check it and open the session."""
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for(HOME_ENDPOINT))
    if request.method == "GET":
        return render_template("inbox/login.html", next=next_url, email="")
    email = request.form.get("email", "")[:320]
    account, password_right = authenticate(email, request.form.get("password", ""))
    if account is None:
        error = INACTIVE_ACCOUNT if password_right else WRONG_CREDENTIALS
        return render_template("inbox/login.html", next=next_url, email=email, error=error), 200
    session.clear()  # nothing from before the sign-in carries over
    login_user(account, remember=request.form.get("remember") == "oui")
    session.permanent = True  # ends after PERMANENT_SESSION_LIFETIME, not at the browser's whim
    return redirect(next_url or url_for(HOME_ENDPOINT), code=303)


@blueprint.post("/deconnexion")
def logout() -> Response:
    """Close the session (and forget the "stay signed in" cookie)."""
    logout_user()
    session.clear()
    flash("Vous êtes déconnecté·e. À bientôt !", "info")
    return redirect(url_for(LOGIN_ENDPOINT), code=303)


@blueprint.errorhandler(TooManyRequests)
def too_many_attempts(_error: TooManyRequests) -> tuple[str, int]:
    """The sign-in form again, with a calm word on why it is refused for now."""
    email = request.form.get("email", "")[:320]
    page = render_template("inbox/login.html", next=safe_next(request.values.get("next")),
                           email=email, error=TOO_MANY_ATTEMPTS)
    return page, 429


def limit_sign_in(app: Flask, limiter: Limiter, rate: str) -> None:
    """Rate-limit failed sign-ins per address and per email (successes are not counted).

    The keys are hashed so that neither emails nor IP addresses reach the limiter's
    logs or Redis.
    """
    failed = lambda response: response.status_code != 303  # noqa: E731
    view = app.view_functions[LOGIN_ENDPOINT]
    view = limiter.limit(rate, key_func=_ip_key, methods=["POST"], deduct_when=failed)(view)
    view = limiter.limit(rate, key_func=_email_key, methods=["POST"], deduct_when=failed)(view)
    app.view_functions[LOGIN_ENDPOINT] = view


def _ip_key() -> str:
    """The limiter key of the client's address."""
    return "ip-" + _digest(request.remote_addr or "unknown")


def _email_key() -> str:
    """The limiter key of the email typed in the form."""
    return "email-" + _digest(normalize_email(request.form.get("email", "")))


def _digest(value: str) -> str:
    """A short, one-way fingerprint of a key."""
    return hashlib.sha256(value.encode()).hexdigest()[:24]
