"""The migrations build exactly the schema the models describe."""
from __future__ import annotations

import os
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.pool import NullPool

from storage import migrate
from storage.db import REPO_ROOT, make_engine
from storage.models import Base


def test_there_is_exactly_one_head() -> None:
    assert migrate.script_directory().get_heads() == [migrate.head_revision()]


def test_upgrading_an_empty_database_yields_the_models_schema(empty_db_url: str) -> None:
    assert migrate.current_revision(empty_db_url) is None
    migrate.upgrade(empty_db_url)
    assert migrate.current_revision(empty_db_url) == migrate.head_revision()
    engine = make_engine(empty_db_url, poolclass=NullPool)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": migrate.include_object(connection.dialect.name)})
        assert compare_metadata(context, Base.metadata) == []
        inspector = inspect(connection)
        tables = {name for name in inspector.get_table_names() if not migrate.is_search_table(name)}
        assert tables == set(Base.metadata.tables) | {"alembic_version"}
        for table in Base.metadata.sorted_tables:
            columns = {column["name"] for column in inspector.get_columns(table.name)}
            assert columns == set(table.columns.keys()), table.name
    engine.dispose()


def test_upgrade_is_idempotent_and_downgrade_removes_everything(empty_db_url: str) -> None:
    migrate.upgrade(empty_db_url)
    migrate.upgrade(empty_db_url)
    migrate.downgrade(empty_db_url, "base")
    engine = make_engine(empty_db_url, poolclass=NullPool)
    with engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    assert migrate.current_revision(empty_db_url) is None


def test_the_session_database_is_at_head(db_url: str) -> None:
    assert migrate.current_revision(db_url) == migrate.head_revision()


def test_command_line_reports_the_revision(db_url: str) -> None:
    environment = os.environ | {"DATABASE_URL": db_url}
    result = subprocess.run(
        [sys.executable, "-m", "storage", "current"],
        cwd=REPO_ROOT, env=environment, capture_output=True, text=True, check=True,
    )
    head = migrate.head_revision()
    assert result.stdout.strip() == f"révision actuelle : {head} ; dernière : {head}"


def test_descending_index_columns_survive_every_table_copy(empty_db_url: str) -> None:
    """SQLite copies a table to add a foreign key: the indexes made again must keep their
    DESC columns (the inbox's order), as the models declare them."""
    migrate.upgrade(empty_db_url)
    declared = {index.name: sum(str(e).endswith(" DESC") for e in index.expressions)
                for table in Base.metadata.sorted_tables for index in table.indexes}
    declared = {name: count for name, count in declared.items() if count}
    assert "ix_cases_inbox_order" in declared
    engine = make_engine(empty_db_url, poolclass=NullPool)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        else:
            query = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
        built = {name: sql.upper().count(" DESC") for name, sql in connection.exec_driver_sql(query)}
    engine.dispose()
    assert {name: built.get(name) for name in declared} == declared
