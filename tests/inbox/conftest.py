"""The inbox app on the test's database, accounts to sign in with, and sign-in actions."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from bot.settings import Settings
from storage.models import Team, User
from tests.support.accounts import PASSWORD, password_hash

COORDINATOR = "camille@example.fr"
ADMIN = "alex@example.fr"
INACTIVE = "ancien@example.fr"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def seed_accounts(session_factory: sessionmaker[Session]) -> None:
    """A coordinator of two teams, an admin, and a closed account; all with PASSWORD."""
    with session_factory.begin() as session:
        sarcelles, val_d_oise = Team(name="Équipe Sarcelles"), Team(name="Équipe Val-d'Oise")
        session.add_all([
            User(email=COORDINATOR, name="Camille Martin", role="coordinator",
                 password_hash=password_hash(), teams=[sarcelles, val_d_oise]),
            User(email=ADMIN, name="Alex Admin", role="admin", password_hash=password_hash()),
            User(email=INACTIVE, name="Ancien Compte", active=False,
                 password_hash=password_hash()),
        ])


def make_app(db_url: str, **config: object) -> Flask:
    """The real app on the test database; CSRF and rate limits stay ON, as in production."""
    from webhooks import create_app

    return create_app({"TESTING": True, "DATABASE_URL": db_url, "SETTINGS": Settings(), **config})


@pytest.fixture
def app(db_url: str, session_factory: sessionmaker[Session]) -> Flask:
    seed_accounts(session_factory)
    return make_app(db_url)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient, path: str = "/connexion") -> str:
    """The CSRF token of a page's form (it also puts the token's secret in the session)."""
    match = CSRF_FIELD.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@dataclass
class AuthActions:
    """Sign in and out the way the forms do."""

    client: FlaskClient

    def login(self, email: str = COORDINATOR, password: str = PASSWORD, *, next: str | None = None,
              remote_addr: str = "127.0.0.1", **form: str) -> TestResponse:
        data = {"csrf_token": csrf_token(self.client), "email": email, "password": password, **form}
        if next is not None:
            data["next"] = next
        return self.client.post("/connexion", data=data,
                                environ_base={"REMOTE_ADDR": remote_addr})

    def logout(self) -> TestResponse:
        return self.client.post("/deconnexion", data={"csrf_token": csrf_token(self.client, "/demandes")})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
