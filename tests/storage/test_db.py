"""Engine setup: URLs from the environment, SQLite durability and write locking."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from storage import db
from storage.models import Contact


def test_database_url_rewrites_paas_postgres_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@host:5432/relais")
    assert db.database_url() == "postgresql+psycopg://u:p@host:5432/relais"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@host/relais")
    assert db.database_url() == "postgresql+psycopg://u@host/relais"
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@host/relais")
    assert db.database_url() == "postgresql+psycopg://u@host/relais"


def test_default_url_is_a_file_in_the_instance_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert db.database_url() == db.DEFAULT_URL
    assert db.DEFAULT_URL == "sqlite:///" + str(db.REPO_ROOT / "instance" / "relais.sqlite3")


def _sqlite_only(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite connection settings")


def test_sqlite_connections_are_durable_and_check_foreign_keys(engine: Engine) -> None:
    _sqlite_only(engine)
    names = ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
    with engine.connect() as connection:
        values = [connection.exec_driver_sql(f"PRAGMA {name}").scalar() for name in names]
    assert values == ["wal", 1, 5000, 2]  # synchronous 2 is FULL


def test_sqlite_transactions_take_the_write_lock_at_begin(engine: Engine, db_url: str) -> None:
    _sqlite_only(engine)
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))  # a read only, yet the write lock is held
        other = sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_concurrent_read_then_write_transactions_wait_instead_of_failing(
    session_factory: sessionmaker[Session],
) -> None:
    errors: list[BaseException] = []

    def read_then_write() -> None:
        try:
            for _ in range(5):
                with session_factory.begin() as session:
                    count = session.scalar(select(func.count()).select_from(Contact))
                    time.sleep(0.002)  # widen the window between the read and the write
                    session.add(Contact(first_name=f"n{count}"))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=read_then_write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == 20
