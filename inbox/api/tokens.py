"""Who calls: the bearer token resolved to its user before every view (cookies ignored)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g, request
from sqlalchemy.orm import Session

from inbox import cases as domain
from inbox.api.errors import blueprint, fail
from inbox.views.common import now
from storage.models import User

PUBLIC_ENDPOINTS = {"api_v1.openapi"}


@blueprint.before_request
def require_token() -> None:
    """Resolve the bearer token to a user (cookies are ignored); 401 otherwise."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        fail(401, "Authentification requise : envoyez l'en-tête « Authorization: Bearer <jeton> ».")
    with current_app.extensions["session_factory"]() as session:
        user = domain.user_for_token(session, token, now())
        if user is None:
            fail(401, "Jeton invalide ou révoqué.")
        g.api_user_id = user.id
        session.commit()  # last_used_at


@contextmanager
def db() -> Iterator[tuple[Session, User]]:
    """A session for this request and the token's user in it."""
    with current_app.extensions["session_factory"]() as session:
        user = session.get(User, g.api_user_id)
        if user is None or not user.active:
            fail(401, "Jeton invalide ou révoqué.")
        yield session, user
