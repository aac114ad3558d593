"""The orientation catalogue as the admins manage it, with how many cases use each solution.

A solution is never deleted: cases oriented to it keep it in their summary and timeline.
Turned off, it is no longer offered when orienting. The rules (unique names…) are the
case domain's (inbox.cases.catalogue).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inbox.admin import journal
from inbox.admin.errors import AdminError
from inbox.cases import catalogue
from storage.models import Case, Solution, User

KIND_LABELS = {  # stable code -> what admins read (the codes of storage.seed.DEFAULT_SOLUTIONS)
    "advice": "Conseil en mobilité",
    "driving_school": "Auto-école sociale",
    "licence_aid": "Aide au permis",
    "car_rental": "Location de voiture",
    "scooter_rental": "Location de scooter",
    "bike_rental": "Location de vélo",
    "garage": "Garage solidaire",
    "on_demand_transport": "Transport à la demande",
    "bike_school": "Vélo-école",
    "public_transport": "Transports en commun",
    "financial_aid": "Aide financière",
    "other": "Autre",
}


@dataclass(frozen=True)
class CatalogueRow:
    """A solution and the number of cases oriented to it."""

    solution: Solution
    cases: int


def rows(session: Session) -> list[CatalogueRow]:
    """Every solution, offered ones first, by name."""
    used = dict(session.execute(select(Case.solution_id, func.count()).where(
        Case.solution_id.is_not(None)).group_by(Case.solution_id)).all())
    solutions = session.scalars(select(Solution).order_by(Solution.active.desc(), Solution.name))
    return [CatalogueRow(solution, used.get(solution.id, 0)) for solution in solutions]


def add(session: Session, admin: User, name: str, kind: str, now: datetime) -> Solution:
    """A new solution, offered at once."""
    solution = catalogue.add_solution(session, admin, name, _kind(kind), now)
    journal.record(session, admin, "solution_created", f"solution:{solution.id}", now,
                   name=solution.name, kind=solution.kind)
    return solution


def edit(session: Session, admin: User, solution_id: int, name: str, kind: str,
         now: datetime) -> Solution:
    """Rename a solution or change its kind (cases oriented to it follow the new name)."""
    solution = catalogue.update_solution(session, admin, solution_id, name=name, kind=_kind(kind))
    journal.record(session, admin, "solution_updated", f"solution:{solution.id}", now,
                   name=solution.name, kind=solution.kind)
    return solution


def set_active(session: Session, admin: User, solution_id: int, active: bool,
               now: datetime) -> Solution:
    """Turn a solution off (no longer offered) or on again."""
    solution = catalogue.update_solution(session, admin, solution_id, active=active)
    action = "solution_reactivated" if active else "solution_deactivated"
    journal.record(session, admin, action, f"solution:{solution.id}", now, name=solution.name)
    return solution


def _kind(kind: str) -> str:
    if kind not in KIND_LABELS:
        raise AdminError("Choisissez un type de solution dans la liste.")
    return kind
