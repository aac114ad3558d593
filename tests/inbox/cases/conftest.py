"""Fixtures of the case domain: teams, coordinators, cases, and the bot's runtime.

The runtime fixtures (clock, teams, runtime, sms_phone, telegram_phone, db) are the
bot tests' own. Every domain call runs in a short transaction of its own (`tx`): on
SQLite a transaction holds the write lock, so none stays open while the runtime works.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Team, User
from tests.bot.conftest import clock, db, runtime, sms_phone, teams, telegram_phone  # noqa: F401


@dataclass(frozen=True)
class People:
    """User ids: two coordinators of different teams, one of both, an admin, a former one."""

    marie: int  # Sarcelles
    paul: int  # Val-d'Oise
    sam: int  # Sarcelles and Val-d'Oise
    alex: int  # admin, no team
    former: int  # inactive, Sarcelles


@pytest.fixture
def people(session_factory: sessionmaker[Session], teams: dict[str, int]) -> People:
    with session_factory.begin() as session:
        sarcelles, val_d_oise = session.get(Team, teams["sarcelles"]), session.get(Team, teams["val_d_oise"])
        users = {
            "marie": User(email="marie@example.fr", name="Marie", password_hash="x", teams=[sarcelles]),
            "paul": User(email="paul@example.fr", name="Paul", password_hash="x", teams=[val_d_oise]),
            "sam": User(email="sam@example.fr", name="Sam", password_hash="x",
                        teams=[sarcelles, val_d_oise]),
            "alex": User(email="alex@example.fr", name="Alex", password_hash="x", role="admin"),
            "former": User(email="old@example.fr", name="Ancien", password_hash="x", active=False,
                           teams=[sarcelles]),
        }
        session.add_all(users.values())
        session.flush()
        return People(**{name: user.id for name, user in users.items()})


@pytest.fixture
def tx(session_factory: sessionmaker[Session]):
    """`with tx() as session:` one committed transaction."""

    @contextmanager
    def transaction() -> Iterator[Session]:
        with session_factory.begin() as session:
            yield session

    return transaction
