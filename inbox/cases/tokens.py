"""Tokens of the JSON API: shown once at creation, stored only as their SHA-256."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.cases.errors import CaseError, NotAllowed
from inbox.cases.visibility import is_admin
from storage.models import ApiToken, User

PREFIX = "rm_"  # recognisable in a leaked file or a secret scanner
TOUCH_EVERY = timedelta(minutes=5)  # last_used_at is precise enough at this grain


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, name: str, now: datetime) -> tuple[ApiToken, str]:
    """A new token for `user`: the row and the token itself, to show once."""
    name = " ".join(name.split())
    if not name:
        raise CaseError("Donnez un nom au jeton (à quoi il sert).")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name[:120], token_hash=hash_token(token), created_at=now)
    session.add(row)
    session.flush()
    return row, token


def user_for_token(session: Session, token: str, now: datetime) -> User | None:
    """The active user a valid, unrevoked token acts as; None otherwise."""
    if not token.startswith(PREFIX):
        return None
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        row.last_used_at = now
        session.flush()
    return row.user


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked ones included, marked)."""
    query = select(ApiToken).where(ApiToken.user_id == user.id)
    return list(session.scalars(query.order_by(ApiToken.id.desc())))


def revoke_token(session: Session, user: User, token_id: int, now: datetime) -> ApiToken:
    """Revoke a token of one's own (an admin: anyone's)."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise CaseError("Ce jeton n'existe pas.")
    if row.user_id != user.id and not is_admin(user):
        raise NotAllowed("Ce jeton n'est pas le vôtre.")
    if row.revoked_at is None:
        row.revoked_at = now
        session.flush()
    return row
