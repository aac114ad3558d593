"""Database URL, engine and session factory: the one session pattern of the project."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = REPO_ROOT / "instance"
DEFAULT_URL = "sqlite:///" + str(INSTANCE_DIR / "relais.sqlite3")

# Applied to every new SQLite connection. synchronous=FULL keeps every committed
# transaction on disk even after a power loss: never relax it to NORMAL or OFF. A page
# cache of up to 32 MB (SQLite's default is 2 MB), filled only as pages are read: at
# 100,000 cases the inbox's indexes stay in memory from one request to the next.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    "PRAGMA synchronous=FULL",
    "PRAGMA cache_size=-32000",
)


def database_url() -> str:
    """Return env DATABASE_URL (normalised) or the embedded SQLite default."""
    return normalize_url(os.environ.get("DATABASE_URL") or DEFAULT_URL)


def normalize_url(url: str) -> str:
    """Rewrite postgres:// and postgresql:// (as PaaS give them) to the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str | None = None, *, foreign_keys: bool = True, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets durable pragmas and write-locking transactions."""
    url = normalize_url(url or database_url())
    if url.startswith("sqlite"):
        if url == DEFAULT_URL:
            INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine, foreign_keys=foreign_keys)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (no reload round-trip)."""
    return sessionmaker(engine, expire_on_commit=False)


def _configure_sqlite(engine: Engine, *, foreign_keys: bool) -> None:
    """Install the pragmas and SQLAlchemy's documented "BEGIN IMMEDIATE" recipe.

    The sqlite3 driver's own transaction handling is switched off (isolation_level
    None) and every transaction starts with BEGIN IMMEDIATE: it takes the write lock
    at once, so a second writer (thread or process) waits up to busy_timeout instead
    of failing with "database is locked" when upgrading a read lock mid-transaction.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in SQLITE_PRAGMAS:
                if pragma.startswith("PRAGMA foreign_keys") and not foreign_keys:
                    pragma = "PRAGMA foreign_keys=OFF"
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # An AUTOCOMMIT connection (execution option) must not open a transaction.
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
