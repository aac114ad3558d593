"""Alembic environment: runs migrations against the URL or connection it is given."""
from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import JSON, Connection, make_url, text
from sqlalchemy.pool import NullPool

from storage.db import database_url, make_engine
from storage.migrate import include_object
from storage.models import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata


def render_item(
    type_: str, obj: Any, autogen_context: AutogenContext
) -> str | Literal[False]:
    """Render our column types without model code (migrations must not import it)."""
    if type_ != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, JSON) and "postgresql" in obj._variant_mapping:
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return "sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')"
    return False


def configure(connection: Connection | None = None, url: str | None = None) -> None:
    """Shared options; batch mode lets SQLite alter tables by copying them."""
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        render_as_batch=True,
        render_item=render_item,
        compare_type=True,
        include_object=include_object(
            connection.dialect.name if connection is not None else make_url(url).get_backend_name()),
    )


def run_offline() -> None:
    """Emit SQL to stdout (`--sql`) instead of running it."""
    configure(url=config.attributes.get("url") or database_url())
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run in one transaction; on SQLite with foreign keys off, checked afterwards."""
    # Foreign keys off: a batch operation recreates a table, which with foreign
    # keys on would cascade deletes into the tables that refer to it (Alembic's
    # advice). The integrity is checked before the transaction commits.
    url = config.attributes.get("url") or database_url()
    engine = make_engine(url, foreign_keys=False, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


def _run(connection: Connection) -> None:
    """Migrate within a transaction, then refuse to commit broken references."""
    configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            if broken:
                raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")


if context.is_offline_mode():
    run_offline()
else:
    run_online()
