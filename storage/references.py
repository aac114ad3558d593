"""Human-friendly case references: RM-2026-00042, numbered from 1 each year."""
from __future__ import annotations

from typing import Any, Callable

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import ReferenceCounter

PREFIX = "RM"


def next_case_reference(session: Session, year: int) -> str:
    """Take the next number of `year` in the caller's transaction and format it.

    One atomic upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING): on
    PostgreSQL the conflicting row is locked until commit, so concurrent callers
    wait and get distinct numbers; on SQLite the transaction already holds the
    write lock (BEGIN IMMEDIATE). A rolled-back case gives its number back.
    """
    insert = _insert_for(session)
    table = ReferenceCounter.__table__
    statement = (
        insert(table)
        .values(year=year, last=1)
        .on_conflict_do_update(index_elements=[table.c.year], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
    number = session.execute(statement).scalar_one()
    return format_reference(year, number)


def format_reference(year: int, number: int) -> str:
    """RM-{year}-{number on 5 digits}; past 99999 the number simply grows longer."""
    return f"{PREFIX}-{year}-{number:05d}"


def _insert_for(session: Session) -> Callable[..., Any]:
    """The dialect's INSERT construct, which knows ON CONFLICT."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert
    if name == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"case references need PostgreSQL or SQLite, not {name}")
