"""The case list: the longest-waiting person first, then the newest, by keyset pages.

Order: waiting_since ascending (cases nobody owes an answer, NULL, come last), then
created_at descending, then id descending (the tiebreak that makes the order total).
A page never uses OFFSET: `next_key` carries the sort key of its last row, and the next
page starts strictly after it. Without a search the list is read in two segments, the
waiting cases then the others, so that each is one index range scan
(ix_cases_inbox_order, ix_cases_team_inbox_order): a page costs the same at the first
case and at the 100,000th. With a search, whose table scans cost more than the order,
one query does both segments so the scans run once.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, or_, tuple_
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import ORMOption

from inbox.cases.errors import CaseError
from inbox.cases.filters import CaseFilters, conditions
from inbox.cases.visibility import visible_cases
from storage.models import Case, User

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass(frozen=True)
class Page:
    """One page of the list, and the key of the next one (None on the last page)."""

    cases: list[Case]
    next_key: str | None


@dataclass(frozen=True)
class SortKey:
    """Where a row stands in the list's order."""

    waiting_since: datetime | None
    created_at: datetime
    id: int

    @classmethod
    def of(cls, case: Case) -> SortKey:
        return cls(case.waiting_since, case.created_at, case.id)

    def encode(self) -> str:
        """An opaque, URL-safe token."""
        raw = [self.waiting_since.isoformat() if self.waiting_since else None,
               self.created_at.isoformat(), self.id]
        return base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> SortKey:
        """The key a token carries; CaseError if it was not made by encode()."""
        try:
            padded = token + "=" * (-len(token) % 4)
            waiting, created, case_id = json.loads(base64.urlsafe_b64decode(padded))
            key = cls(datetime.fromisoformat(waiting) if waiting else None,
                      datetime.fromisoformat(created), int(case_id))
            if key.created_at.tzinfo is None or (key.waiting_since and key.waiting_since.tzinfo is None):
                raise ValueError("naive")
            return key
        except (ValueError, TypeError, json.JSONDecodeError) as error:
            raise CaseError("Ce lien de page n'est plus valable : revenez au début de la liste.") from error


WHOLE_CASES = (selectinload(Case.team), selectinload(Case.assignee), selectinload(Case.contact))


def list_cases(session: Session, user: User, filters: CaseFilters | None = None,
               after: str | None = None, limit: int = DEFAULT_LIMIT,
               now: datetime | None = None, load: Sequence[ORMOption] = WHOLE_CASES) -> Page:
    """A page of the cases the user sees, filtered; `now` is needed by callback filters.
    `load`: what to load of each case (by default all of it, with its team, assignee and
    person; a page of the inbox loads the columns its table shows)."""
    limit = max(1, min(limit, MAX_LIMIT))
    key = SortKey.decode(after) if after else None
    filters = filters or CaseFilters()
    base = visible_cases(user).where(*conditions(session, user, filters, now)).options(*load)
    rows: list[Case] = []
    if filters.search.strip():  # the search's scans cost more than the order: run them once
        rows = _fetch(session, _whole_list(base, key), limit + 1)
    else:
        if key is None or key.waiting_since is not None:
            rows = _fetch(session, _waiting_segment(base, key), limit + 1)
        if len(rows) <= limit:
            rows += _fetch(session, _other_segment(base, key), limit + 1 - len(rows))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, SortKey.of(rows[-1]).encode() if more and rows else None)


def _waiting_segment(base: Select[tuple[Case]], key: SortKey | None) -> Select[tuple[Case]]:
    """Cases with someone waiting, from the longest wait, after `key`."""
    query = base.where(Case.waiting_since.is_not(None))
    if key is not None and key.waiting_since is not None:
        query = query.where(Case.waiting_since >= key.waiting_since, or_(
            Case.waiting_since > key.waiting_since, _newer_after(key)))
    return query.order_by(Case.waiting_since.asc(), Case.created_at.desc(), Case.id.desc())


def _other_segment(base: Select[tuple[Case]], key: SortKey | None) -> Select[tuple[Case]]:
    """Cases nobody waits on, newest first, after `key` when the key is among them."""
    query = base.where(Case.waiting_since.is_(None))
    if key is not None and key.waiting_since is None:
        query = query.where(_newer_after(key))
    return query.order_by(Case.created_at.desc(), Case.id.desc())


def _whole_list(base: Select[tuple[Case]], key: SortKey | None) -> Select[tuple[Case]]:
    """Both segments in one query, after `key` (for searches)."""
    query = base
    if key is not None and key.waiting_since is None:
        query = query.where(Case.waiting_since.is_(None), _newer_after(key))
    elif key is not None:
        query = query.where(or_(Case.waiting_since.is_(None), and_(
            Case.waiting_since >= key.waiting_since,
            or_(Case.waiting_since > key.waiting_since, _newer_after(key)))))
    return query.order_by(Case.waiting_since.asc().nulls_last(), Case.created_at.desc(),
                          Case.id.desc())


def _newer_after(key: SortKey) -> ColumnElement[bool]:
    """After `key` in (created_at DESC, id DESC); the first term bounds the index scan. One
    row comparison, not an OR of cases: SQLite would read each case of the OR from the
    index and sort them all."""
    return and_(Case.created_at <= key.created_at,
                tuple_(Case.created_at, Case.id) < (key.created_at, key.id))


def _fetch(session: Session, query: Select[tuple[Case]], limit: int) -> list[Case]:
    return list(session.scalars(query.limit(limit)))
