"""Accounts of the inbox: create one, close or reopen it, give a new password, change teams.

A new password is either chosen by the admin or drawn at random; it is returned once for
the admin to pass on, and only its hash is kept. A new password or a closed account ends
the account's open sessions (see inbox.accounts).
"""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from inbox.admin import journal
from inbox.admin.errors import AdminError, ensure_admin
from storage.models import USER_ROLES, Team, User, normalize_email
from storage.seed import hash_password, new_password

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
ROLE_LABELS = {"coordinator": "Coordinateur·rice", "admin": "Admin"}
MIN_PASSWORD, MAX_PASSWORD, MAX_NAME = 10, 200, 120


def all_users(session: Session) -> list[User]:
    """Every account with its teams: open ones first, by name."""
    query = (select(User).options(selectinload(User.teams))
             .order_by(User.active.desc(), User.name, User.email))
    return list(session.scalars(query))


def create_user(session: Session, admin: User | None, email: str, name: str, role: str,
                teams: list[Team], now: datetime, password: str = "") -> tuple[User, str]:
    """A new account; returns it and its password (the one given, or a random one)."""
    ensure_admin(admin)
    email = normalize_email(email)
    if not EMAIL.fullmatch(email):
        raise AdminError(f"« {email} » n'est pas une adresse e-mail.")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AdminError(f"Un compte existe déjà pour {email}.")
    if role not in USER_ROLES:
        raise AdminError("Choisissez un rôle : coordinateur·rice ou admin.")
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise AdminError(f"Donnez un nom de 1 à {MAX_NAME} caractères.")
    password = _password(password)
    user = User(email=email, name=name, role=role, teams=list(dict.fromkeys(teams)),
                password_hash=hash_password(password), created_at=now)
    session.add(user)
    session.flush()
    journal.record(session, admin, "user_created", f"user:{user.id}", now, name=user.name,
                   role=role, teams=[team.name for team in user.teams])
    return user, password


def teams_by_id(session: Session, team_ids: list[int]) -> list[Team]:
    """The teams of these ids; AdminError if one does not exist."""
    teams = {team.id: team for team in session.scalars(select(Team).where(Team.id.in_(team_ids)))}
    if set(team_ids) - set(teams):
        raise AdminError("Une des équipes choisies n'existe pas.")
    return [teams[team_id] for team_id in dict.fromkeys(team_ids)]


def find_user(session: Session, user_id: int) -> User:
    """The account of this id, or AdminError."""
    user = session.get(User, user_id)
    if user is None:
        raise AdminError("Ce compte n'existe pas.")
    return user


def deactivate(session: Session, admin: User | None, user: User, now: datetime) -> None:
    """Close an account: it can no longer sign in, its sessions end; never one's own."""
    ensure_admin(admin)
    if admin is not None and user.id == admin.id:
        raise AdminError("Vous ne pouvez pas fermer votre propre compte. "
                         "Demandez-le à une autre personne admin.")
    if user.active:
        user.active = False
        session.flush()
        journal.record(session, admin, "user_deactivated", f"user:{user.id}", now, name=user.name)


def reopen(session: Session, admin: User | None, user: User, now: datetime,
           password: str = "") -> str:
    """Reopen a closed account with a new password, returned once.

    The new password also keeps the sessions open before the closing from coming back.
    """
    ensure_admin(admin)
    if user.active:
        raise AdminError("Ce compte est déjà ouvert.")
    password = _password(password)
    user.active, user.password_hash = True, hash_password(password)
    session.flush()
    journal.record(session, admin, "user_reactivated", f"user:{user.id}", now, name=user.name)
    return password


def reset_password(session: Session, admin: User | None, user: User, now: datetime,
                   password: str = "") -> str:
    """Give the account a new password (chosen, or random) and return it, once."""
    ensure_admin(admin)
    password = _password(password)
    user.password_hash = hash_password(password)
    session.flush()
    journal.record(session, admin, "password_reset", f"user:{user.id}", now, name=user.name)
    return password


def set_teams(session: Session, admin: User | None, user: User, teams: list[Team],
              now: datetime) -> None:
    """Replace the account's teams (a coordinator sees the cases of these teams)."""
    ensure_admin(admin)
    user.teams = list(dict.fromkeys(teams))
    session.flush()
    journal.record(session, admin, "user_teams_changed", f"user:{user.id}", now, name=user.name,
                   teams=sorted(team.name for team in user.teams))


def _password(password: str) -> str:
    """The password chosen by the admin, checked, or a random one when none is given."""
    if not password:
        return new_password()
    if len(password) < MIN_PASSWORD or len(password) > MAX_PASSWORD:
        raise AdminError(f"Le mot de passe doit faire au moins {MIN_PASSWORD} caractères.")
    return password
