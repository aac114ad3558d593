"""The catalogue of solutions people are oriented to; admins manage it.

A solution is never deleted (old cases point to it): it is turned off and no longer
offered. storage.seed.seed_solutions fills the default catalogue.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.cases.errors import CaseError, NotAllowed
from inbox.cases.visibility import is_admin
from storage.models import Solution, User

MAX_NAME = 120


def solutions(session: Session, include_inactive: bool = False) -> list[Solution]:
    """The solutions offered to orient a person (all of them for the admin page)."""
    query = select(Solution).order_by(Solution.name)
    if not include_inactive:
        query = query.where(Solution.active)
    return list(session.scalars(query))


def add_solution(session: Session, user: User, name: str, kind: str, now: datetime) -> Solution:
    """Add a solution to the catalogue."""
    _ensure_admin(user)
    solution = Solution(name=_unique_name(session, name), kind=_kind(kind), active=True,
                        created_at=now)
    session.add(solution)
    session.flush()
    return solution


def update_solution(session: Session, user: User, solution_id: int, *, name: str | None = None,
                    kind: str | None = None, active: bool | None = None) -> Solution:
    """Rename a solution, change its kind, or turn it off (or on again)."""
    _ensure_admin(user)
    solution = session.get(Solution, solution_id)
    if solution is None:
        raise CaseError("Cette solution n'existe pas.")
    if name is not None and " ".join(name.split()) != solution.name:
        solution.name = _unique_name(session, name, solution.id)
    if kind is not None:
        solution.kind = _kind(kind)
    if active is not None:
        solution.active = active
    session.flush()
    return solution


def _ensure_admin(user: User) -> None:
    if not is_admin(user):
        raise NotAllowed("Seuls les admins gèrent le catalogue des solutions.")


def _unique_name(session: Session, name: str, own_id: int | None = None) -> str:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise CaseError(f"Donnez un nom de 1 à {MAX_NAME} caractères.")
    # Compared here, not in SQL: SQLite's lower() leaves "É" as it is.
    rows = session.execute(select(Solution.id, Solution.name))
    same = [solution_id for solution_id, other in rows
            if other.casefold() == name.casefold() and solution_id != own_id]
    if same:
        raise CaseError("Cette solution existe déjà dans le catalogue.")
    return name


def _kind(kind: str) -> str:
    kind = kind.strip()
    if not kind:
        raise CaseError("Donnez un type de solution.")
    return kind
