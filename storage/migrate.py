"""Run Alembic programmatically: no alembic.ini, the URL comes from storage.db."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.pool import NullPool

from .db import database_url, make_engine, normalize_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration for `url` (default: database_url())."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    # Revisions are numbered 0001, 0002...: files sort in the order they apply.
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["url"] = normalize_url(url or database_url())
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database to `revision` (default: the latest); a no-op when there."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    """Step the database back to `revision` ("base": no table left)."""
    command.downgrade(alembic_config(url), revision)


def script_directory() -> ScriptDirectory:
    """The migration scripts of storage/migrations/versions."""
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def head_revision() -> str:
    """The single head revision; more than one head is a merge left to do."""
    heads = script_directory().get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"expected one migration head, found {heads}")
    return heads[0]


def current_revision(url: str | None = None) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def make_revision(message: str, autogenerate: bool = True, url: str | None = None) -> str:
    """Write the next numbered revision (compared with `url` when autogenerating)."""
    scripts = script_directory()
    rev_id = f"{len(list(scripts.walk_revisions())) + 1:04d}"
    script = command.revision(
        alembic_config(url), message=message, autogenerate=autogenerate, rev_id=rev_id
    )
    assert script is not None and not isinstance(script, list)
    return script.path


# SQLite's full-text tables of the messages (migration 0009), first names and communes
# (0015), and their shadow tables: made by the migrations only, not by the models. Their
# triggers go when SQLite's batch mode copies the table they index: make them again.
SQLITE_SEARCH_TABLES = ("messages_search", "contacts_search", "cases_search")


def is_search_table(name: str) -> bool:
    """Whether a table is one of SQLite's search indexes (or one of their parts)."""
    return any(name == table or name.startswith(table + "_") for table in SQLITE_SEARCH_TABLES)


def include_object(dialect: str) -> Callable[..., bool]:
    """Alembic's `include_object` for comparing models with a `dialect` database: an index
    declared for another dialect only (`Index(...).ddl_if(dialect=...)`) is left out, and
    so is SQLite's search table."""
    def include(obj: Any, name: str | None, type_: str, reflected: bool, _compare_to: Any) -> bool:
        if type_ == "table" and reflected and name and is_search_table(name):
            return False
        ddl_if = getattr(obj, "_ddl_if", None)
        return not (type_ == "index" and not reflected and ddl_if is not None
                    and ddl_if.dialect not in (None, dialect))
    return include
