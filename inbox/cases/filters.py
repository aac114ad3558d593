"""The case list's filters, as SQL conditions on Case (the search is in search.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from inbox.cases.days import paris_today
from inbox.cases.errors import CaseError
from inbox.cases.search import search_condition
from inbox.cases.territories import communes_within, is_departement
from storage.models import CASE_CATEGORIES, CASE_SOURCES, CASE_STATUSES, Case, User

CALLBACKS = ("today", "overdue")


@dataclass(frozen=True)
class CaseFilters:
    """What the list shows; a field left empty means "any"."""

    statuses: tuple[str, ...] = ()  # one or several of CASE_STATUSES
    team_id: int | None = None
    mine: bool = False  # assigned to the user (with `unassigned`: mine or nobody's)
    unassigned: bool = False
    source: str | None = None
    commune_insee: str | None = None  # the commune, with its arrondissements if a city
    epci: str | None = None  # SIREN of an intercommunalité: its communes
    departement: str | None = None  # "95", "2A", "971": communes whose code starts so
    category: str | None = None  # one of CASE_CATEGORIES
    waiting: bool = False  # the person wrote and nobody answered since
    wants_human: bool = False  # the person asked for a person (APPEL)
    callback: str | None = None  # "today" or "overdue" (Paris days), open cases only
    search: str = ""

    def __post_init__(self) -> None:
        """Accept one status as a string; refuse unknown values with a French message."""
        if isinstance(self.statuses, str):
            object.__setattr__(self, "statuses", (self.statuses,))
        _known("Statut", self.statuses, CASE_STATUSES)
        _known("Origine", (self.source,) if self.source else (), CASE_SOURCES)
        _known("Catégorie", (self.category,) if self.category else (), CASE_CATEGORIES)
        _known("Rappel", (self.callback,) if self.callback else (), CALLBACKS)
        if self.departement and not is_departement(self.departement):
            raise CaseError(f"Département inconnu : {self.departement}")
        for kind, code in (("commune", self.commune_insee), ("epci", self.epci)):
            if code:
                communes_within(kind, code)  # CaseError for a territory nobody knows


def _known(label: str, values: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    for value in values:
        if value not in allowed:
            raise CaseError(f"Valeur inconnue pour « {label} » : {value}")


def conditions(session: Session, user: User, filters: CaseFilters,
               now: datetime | None) -> list[ColumnElement[bool]]:
    """The WHERE conditions of `filters` (visibility is added by the caller)."""
    f, where = filters, []
    if f.statuses:
        where.append(Case.status.in_(f.statuses))
    if f.team_id is not None:
        where.append(Case.team_id == f.team_id)
    if f.mine or f.unassigned:
        where.append(or_(*([Case.assignee_id == user.id] if f.mine else []),
                         *([Case.assignee_id.is_(None)] if f.unassigned else [])))
    if f.source:
        where.append(Case.source == f.source)
    if f.commune_insee:
        where.append(Case.commune_insee.in_(communes_within("commune", f.commune_insee)))
    if f.epci:
        where.append(Case.commune_insee.in_(communes_within("epci", f.epci)))
    if f.departement:
        where.append(Case.commune_insee.startswith(f.departement.upper(), autoescape=True))
    if f.category:
        where.append(_has_category(session, f.category))
    if f.waiting:
        where.append(Case.waiting_since.is_not(None))
    if f.wants_human:
        where.append(Case.wants_human)
    if f.callback:
        where.append(_callback(f.callback, now))
    if f.search.strip():
        where.append(search_condition(f.search, session))
    return where


def _has_category(session: Session, category: str) -> ColumnElement[bool]:
    """The JSON list `categories` holds `category` (JSONB @> on PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return Case.categories.op("@>")(func.jsonb_build_array(category))
    items = func.json_each(Case.categories).table_valued("value")
    return exists(select(1).select_from(items).where(items.c.value == category))


def _callback(which: str, now: datetime | None) -> ColumnElement[bool]:
    if now is None:
        raise ValueError("the callback filters need `now`")
    start, end = paris_today(now)
    due = (Case.callback_at >= start) & (Case.callback_at < end) if which == "today" \
        else Case.callback_at < start
    return and_(Case.status != "closed", due)
