"""Who is signed in: loading accounts for Flask-Login, roles and teams.

A signed-in account is kept in the session as "<user id>.<password fingerprint>":
giving the account a new password signs it out everywhere, and an account made
inactive is signed out at its next request.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, redirect, request, url_for
from flask_login import LoginManager, UserMixin, current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash

from storage.models import User, normalize_email
from storage.seed import hash_password

View = TypeVar("View", bound=Callable[..., Any])



@cache
def _dummy_hash() -> str:
    """Checked when the email is unknown, so that it takes as long as a wrong password."""
    return hash_password("not a password of anyone")


@dataclass(frozen=True)
class TeamRef:
    """A team as the inbox shows it."""

    id: int
    name: str


@dataclass(frozen=True)
class Account(UserMixin):
    """The signed-in coordinator or admin: a snapshot read at each request."""

    id: int
    email: str
    name: str
    role: str
    teams: tuple[TeamRef, ...]
    session_id: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def get_id(self) -> str:
        """What Flask-Login keeps in the session cookie."""
        return self.session_id


def session_id(user: User) -> str:
    """The account's id in the session: the user id and a fingerprint of its password."""
    fingerprint = hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]
    return f"{user.id}.{fingerprint}"


def account_of(user: User) -> Account:
    """The Account snapshot of a User row (its teams loaded)."""
    teams = tuple(TeamRef(team.id, team.name) for team in sorted(user.teams, key=lambda t: t.name))
    return Account(id=user.id, email=user.email, name=user.name, role=user.role,
                   teams=teams, session_id=session_id(user))


def authenticate(email: str, password: str) -> tuple[Account | None, bool]:
    """Check a sign-in: (the account if it may sign in, whether the password was right)."""
    with current_app.extensions["session_factory"]() as session:
        user = session.scalar(select(User).options(selectinload(User.teams))
                              .where(User.email == normalize_email(email)))
        if user is None:
            check_password_hash(_dummy_hash(), password)
            return None, False
        if not check_password_hash(user.password_hash, password):
            return None, False
        return (account_of(user) if user.active else None), True


def load_account(stored_id: str) -> Account | None:
    """Flask-Login's user loader: None (signed out) if the account is gone, inactive or re-keyed."""
    user_id, _, _fingerprint = stored_id.partition(".")
    if not user_id.isdigit():
        return None
    with current_app.extensions["session_factory"]() as session:
        user = session.scalar(select(User).options(selectinload(User.teams))
                              .where(User.id == int(user_id)))
        if user is None or not user.active or session_id(user) != stored_id:
            return None
        return account_of(user)


def init_login_manager(app: Flask, login_endpoint: str) -> LoginManager:
    """Set up Flask-Login: who is signed in, and where anonymous visitors are sent."""
    manager = LoginManager(app)
    manager.user_loader(load_account)
    manager.login_view = login_endpoint
    manager.unauthorized_handler(_unauthorized)
    return manager


def _unauthorized() -> Response:
    """Send the visitor to the sign-in page, keeping where they were going in `next`."""
    # An htmx request gets HX-Redirect: the whole page goes to the form, not a fragment.
    login_view = current_app.login_manager.login_view  # type: ignore[attr-defined]
    if request.headers.get("HX-Request") == "true":
        page = urlsplit(request.headers.get("HX-Current-URL", ""))
        target = page.path + (f"?{page.query}" if page.query else "")
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = url_for(login_view, next=target or None)
        return response
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for(login_view, next=target))


def admin_required(view: View) -> View:
    """Let only admins through (403 for a coordinator); sign-in is already required."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def current_teams() -> tuple[TeamRef, ...]:
    """The teams of the signed-in account (none for a visitor)."""
    return current_user.teams if current_user.is_authenticated else ()
