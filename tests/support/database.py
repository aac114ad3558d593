"""Test databases: migrated once per test session, handed clean to each test."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import inspect, make_url
from sqlalchemy.pool import NullPool

from storage.db import make_engine
from storage.migrate import upgrade


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path}"


class SqliteTemplate:
    """A migrated SQLite file that each test gets a copy of (faster than migrating)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "template.sqlite3"
        upgrade(sqlite_url(self.path))

    def fresh(self, tmp_path: Path) -> str:
        """Copy the template into the test's own folder and return its URL."""
        target = tmp_path / "relais.sqlite3"
        shutil.copyfile(self.path, target)
        wal = self.path.with_name(self.path.name + "-wal")
        if wal.exists():  # normally checkpointed away when the last connection closed
            shutil.copyfile(wal, target.with_name(target.name + "-wal"))
        return sqlite_url(target)


class PostgresDatabase:
    """A shared, throwaway PostgreSQL database: rebuilt and migrated once, truncated before each test."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url, poolclass=NullPool)
        self._drop_foreign_schema()
        upgrade(url)

    def fresh(self, _tmp_path: Path) -> str:
        """Empty every table (not alembic_version) and restart the id sequences."""
        with self.engine.begin() as connection:
            names = [n for n in inspect(connection).get_table_names() if n != "alembic_version"]
            if names:
                quoted = ", ".join(f'"{name}"' for name in names)
                connection.exec_driver_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        return self.url

    def _drop_foreign_schema(self) -> None:
        """Start from an empty schema: a database left by an older tree may hold a revision
        whose content has changed since (the test database is throwaway)."""
        with self.engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")


@contextmanager
def empty_postgres_schema(url: str, schema: str = "migration_test") -> Iterator[str]:
    """A URL whose connections work in a new, empty schema, dropped afterwards."""
    engine = make_engine(url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        options = {"options": f"-csearch_path={schema}"}
        yield make_url(url).update_query_dict(options).render_as_string(hide_password=False)
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        engine.dispose()
