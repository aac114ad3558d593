"""Database fixtures shared by every test: db_url -> engine -> session_factory -> session.

SQLite by default; set TEST_DATABASE_URL (postgresql+psycopg://...) to run the
same tests on PostgreSQL. The schema comes from the Alembic migrations, applied
once per test session; each test then starts from empty tables.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, make_session_factory, normalize_url
from tests.support.database import PostgresDatabase, SqliteTemplate


@pytest.fixture(scope="session")
def migrated_database(
    tmp_path_factory: pytest.TempPathFactory,
) -> SqliteTemplate | PostgresDatabase:
    """The database migrated to head once for the whole test session."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return PostgresDatabase(normalize_url(url))
    return SqliteTemplate(tmp_path_factory.mktemp("template"))


@pytest.fixture
def db_url(migrated_database: SqliteTemplate | PostgresDatabase, tmp_path: Path) -> str:
    """URL of a migrated database with empty tables, for this test only."""
    return migrated_database.fresh(tmp_path)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on the test's database, disposed afterwards."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The project's session factory, bound to the test's database."""
    return make_session_factory(engine)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session, closed (uncommitted work rolled back) after the test."""
    with session_factory() as session:
        yield session


from tests.fakes.fixtures import fake_telegram, fake_twilio, no_real_network  # noqa: E402,F401


@pytest.fixture(autouse=True)
def _offline(no_real_network: list[str]) -> None:
    """Every test runs without network: a real provider host fails the test."""
