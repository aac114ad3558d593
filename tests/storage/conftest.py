"""Fixtures of the storage tests: a database that was never migrated."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.db import normalize_url
from tests.support.database import empty_postgres_schema, sqlite_url


@pytest.fixture
def empty_db_url(tmp_path: Path) -> Iterator[str]:
    """URL of an empty database (on PostgreSQL: a fresh schema of the test database)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield sqlite_url(tmp_path / "empty.sqlite3")
        return
    with empty_postgres_schema(normalize_url(url)) as schema_url:
        yield schema_url
