"""The case list's filters and search, as SQL conditions on Case.

Search is a plain case-insensitive LIKE (escaped) on the reference, the commune, the
person's first name, their phone numbers and addresses, and the words of the case's
messages. Each word must match somewhere. A whole reference (RM-2026-00042) is looked up
by its unique index; a phone number as typed (06 39 98 12 34) is matched on its digits.
Words scan the messages table: PostgreSQL full-text search (a tsvector column with a
GIN index) or a pg_trgm GIN index on messages.body (which serves these very ILIKE
queries unchanged) could replace the scan when the volume calls for it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from inbox.cases.days import paris_today
from inbox.cases.errors import CaseError
from storage.models import (
    CASE_CATEGORIES, CASE_SOURCES, CASE_STATUSES, Case, ChannelAddress, Contact, Message, User,
)

CALLBACKS = ("today", "overdue")
MAX_WORDS = 6  # longer searches keep their first words
_PHONE = re.compile(r"^\+?[\d\s.\-()]{6,}$")
_REFERENCE = re.compile(r"^RM-\d{4}-\d{5,}$", re.IGNORECASE)


@dataclass(frozen=True)
class CaseFilters:
    """What the list shows; a field left empty means "any"."""

    statuses: tuple[str, ...] = ()  # one or several of CASE_STATUSES
    team_id: int | None = None
    mine: bool = False  # assigned to the user (with `unassigned`: mine or nobody's)
    unassigned: bool = False
    source: str | None = None
    commune_insee: str | None = None
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
        where.append(Case.commune_insee == f.commune_insee)
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
        where.append(search_condition(f.search))
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


def search_condition(text: str) -> ColumnElement[bool]:
    """Every word of `text` is in one of the case's searchable fields (escaped LIKE)."""
    text = " ".join(text.split())
    if _REFERENCE.match(text):  # a whole reference: one case, found by its unique index
        return Case.reference == text.upper()
    if _PHONE.match(text) and sum(c.isdigit() for c in text) >= 6:
        return _matches_phone(phone_digits(text))
    return and_(*(_matches_word(word) for word in text.split()[:MAX_WORDS]))


def phone_digits(text: str) -> str:
    """The significant digits of a French number as typed: 06 39 98… gives 639 98…"""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0033"):
        digits = digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = digits[2:]
    return digits[1:] if digits.startswith("0") else digits


def _matches_phone(digits: str) -> ColumnElement[bool]:
    addresses = select(ChannelAddress.contact_id).where(
        ChannelAddress.address.contains(digits, autoescape=True))
    return or_(Case.callback_phone.contains(digits, autoescape=True),
               Case.contact_id.in_(addresses))


def _matches_word(word: str) -> ColumnElement[bool]:
    """The word in the case's own fields, or in a row that points to the case.

    People and addresses are few: searched once (IN a subquery, hashed by PostgreSQL).
    Messages are many: EXISTS walks each listed case's own (ix_messages_case_id), so a
    common word fills a page after a few cases instead of scanning every message first.
    """
    def like(column):  # noqa: ANN001, ANN202 - a column of strings
        return column.icontains(word, autoescape=True)

    messages = exists().where(Message.case_id == Case.id, like(Message.body))
    contacts = select(Contact.id).where(like(Contact.first_name))
    addresses = select(ChannelAddress.contact_id).where(like(ChannelAddress.address))
    return or_(like(Case.reference), like(Case.commune_name), like(Case.callback_phone),
               Case.contact_id.in_(contacts), Case.contact_id.in_(addresses), messages)
